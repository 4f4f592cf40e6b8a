/**
 * The main-process side of IPC against a real station: the guard refuses foreign callers before the
 * station sees them, the dispatcher runs the same caching and authorization as HTTP, and live
 * subscriptions end with their page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/contract'
import { createBridge } from '../../preload/bridge'
import { createTestStation, type TestStation } from '../server/test-helper'
import { createDispatcher } from './dispatcher'
import { fakeElectron, type FakePage } from './fake-electron.test-support'
import { registerStationIpc } from './register'

const PAGE = 'http://127.0.0.1:8787/'

describe('registerStationIpc', () => {
  let station: TestStation
  let page: FakePage
  let dispose: () => void
  let token: string

  beforeAll(async () => {
    station = await createTestStation()
    page = fakeElectron(PAGE)
    dispose = registerStationIpc({
      ipcMain: page.ipcMain,
      app: station.app,
      isOwnPage: (u) => u.startsWith(PAGE),
    })
    token = await station.login()
  })
  afterAll(async () => {
    dispose()
    await station.close()
  })

  const invoke = (op: unknown, args: unknown, tok: unknown = token) =>
    page.ipcRenderer.invoke(IPC_CHANNELS.request, op, args, tok)

  it('answers operations with the station envelope', async () => {
    const res = await invoke('auth:me', {})
    expect(res).toMatchObject({ ok: true, status: 200, data: { username: 'admin', role: 'admin' } })
    const refused = await invoke('auth:me', {}, null)
    expect(refused).toMatchObject({ ok: false, status: 401, code: 'UNAUTHORIZED' })
  })

  it('refuses calls from a foreign page or a child frame before the station sees them', async () => {
    const before = (station.app.metrics.snapshot() as { http: { requests: number } }).http.requests
    page.frame.url = 'https://evil.example/'
    await expect(invoke('auth:me', {})).rejects.toThrow(/foreign sender/)
    page.frame.url = PAGE
    page.frame.parent = { url: PAGE }
    await expect(invoke('auth:me', {})).rejects.toThrow(/main frame/)
    page.frame.parent = null
    await expect(invoke('users:drop', {})).rejects.toThrow(/unknown operation/)
    const after = (station.app.metrics.snapshot() as { http: { requests: number } }).http.requests
    expect(after).toBe(before)
  })

  it('runs the same response cache as HTTP (a second read is a hit)', async () => {
    const stats = async () => ((await invoke('cache:stats', {})) as { data: { hits: number } }).data.hits
    const hits = await stats()
    await invoke('cameras:active', {})
    await invoke('cameras:active', {})
    expect(await stats()).toBeGreaterThan(hits)
  })

  it('ends live subscriptions when the page navigates or is destroyed', async () => {
    const bridge = createBridge(page.ipcRenderer)
    const base = station.app.live.subscribers
    const states: string[] = []
    bridge.onLive(
      token,
      () => {},
      (s) => states.push(s.state),
    )
    bridge.onLive(
      token,
      () => {},
      () => {},
    )
    expect(states).toEqual(['open'])
    expect(station.app.live.subscribers).toBe(base + 2)
    page.navigate()
    expect(station.app.live.subscribers).toBe(base)
    const stop = bridge.onLive(
      token,
      () => {},
      () => {},
    )
    expect(station.app.live.subscribers).toBe(base + 1)
    stop()
    expect(station.app.live.subscribers).toBe(base)
  })

  it('refuses a live subscription without a valid session', async () => {
    const bridge = createBridge(page.ipcRenderer)
    const states: unknown[] = []
    bridge.onLive(
      'not-a-session',
      () => {},
      (s) => states.push(s),
    )
    expect(states).toEqual([{ state: 'closed', code: 4401, reason: expect.stringMatching(/session/i) }])
  })
})

describe('createDispatcher', () => {
  it('maps arguments to the route: path parameters, query, body', async () => {
    const seen: unknown[] = []
    const dispatch = createDispatcher({
      inject: (async (opts: unknown) => {
        seen.push(opts)
        return { statusCode: 200, body: JSON.stringify({ success: true, data: { ok: 1 } }) }
      }) as never,
    })
    await dispatch('events:ack', { id: 7, note: 'seen' }, 'tok')
    await dispatch('devices:readings', { id: 'esp 1', sensor: 'temp', from: 5, bucket: 1000 }, 'tok')
    await dispatch('buzzer:trigger', { deviceId: 'dev-1', action: 'on', durationMs: 3000 }, null)
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/api/events/7/ack',
        headers: {
          accept: 'application/json',
          'x-station-transport': 'desktop',
          authorization: 'Bearer tok',
        },
        payload: { note: 'seen' },
      },
      {
        method: 'GET',
        url: '/api/v1/devices/esp%201/readings?sensor=temp&from=5&bucket=1000',
        headers: {
          accept: 'application/json',
          'x-station-transport': 'desktop',
          authorization: 'Bearer tok',
        },
      },
      {
        method: 'POST',
        url: '/api/v1/buzzer/dev-1',
        headers: { accept: 'application/json', 'x-station-transport': 'desktop' },
        payload: { action: 'on', durationMs: 3000 },
      },
    ])
  })

  it('turns error answers and non-JSON bodies into a typed refusal', async () => {
    const answers = [
      {
        statusCode: 409,
        body: JSON.stringify({
          success: false,
          statusCode: 409,
          error: 'Conflict',
          message: 'Device x is offline',
          code: 'DEVICE_OFFLINE',
        }),
      },
      { statusCode: 502, body: '<html>bad gateway</html>' },
    ]
    const dispatch = createDispatcher({ inject: (async () => answers.shift()) as never })
    expect(await dispatch('auth:me', {}, 't')).toEqual({
      ok: false,
      status: 409,
      code: 'DEVICE_OFFLINE',
      message: 'Device x is offline',
    })
    expect(await dispatch('auth:me', {}, 't')).toEqual({
      ok: false,
      status: 502,
      code: 'HTTP_502',
      message: 'The station answered 502',
    })
  })
})
