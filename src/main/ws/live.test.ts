import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Socket } from 'node:net'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { connectLive, waitFor, type LiveClient } from './live-test-client'
import { LIVE_LIMITS, VIEWER_PER_USER } from './connection-budget'

const KEY = { 'x-device-key': TEST_DEVICE_KEY }

/** Opens /ws/live with raw options; resolves with the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

describe('/ws/live', () => {
  let st: TestStation
  let url: string
  let guard: string
  let admin: string
  const clients: LiveClient[] = []
  const open = async (token: string) => {
    const c = await connectLive(url, token)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    st = await createTestStation()
    url = (await st.start()).url
    guard = await st.guardToken()
    admin = await st.login()
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()))
    await st.close()
  })

  it('greets an authenticated subscriber with hello', async () => {
    const c = await open(guard)
    const hello = await c.next('hello')
    expect(hello.user).toEqual({ username: 'guard1', role: 'guard' })
    expect(Math.abs(hello.serverTime - Date.now())).toBeLessThan(60_000)
    expect(c.messages[0]?.type).toBe('hello')
  })

  it('refuses upgrades without a session, with a device key, or from a foreign origin', async () => {
    const live = `${url.replace(/^http/, 'ws')}/ws/live`
    expect(await upgradeStatus(live)).toBe(401)
    expect(await upgradeStatus(`${live}?token=not-a-session`)).toBe(401)
    expect(await upgradeStatus(live, KEY)).toBe(403)
    expect(await upgradeStatus(`${live}?token=${guard}`, { origin: 'http://evil.example' })).toBe(403)
    expect(await upgradeStatus(`${live}?token=${guard}`)).toBe(101)
    // Refused upgrades leave no socket behind (they would leak and hold up shutdown).
    const connections = () => new Promise<number>((r) => st.app.server.getConnections((_e, n) => r(n)))
    await waitFor(async () => (await connections()) <= clients.length, 'refused sockets to be closed')
  })

  it('carries buzzer status changes and events as they are committed', async () => {
    const c = await open(guard)
    await c.next('hello')
    const now = Date.now()
    st.app.db
      .prepare('INSERT INTO devices (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run('siren-live', 'siren-live', now, now)
    await st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-live/pending', headers: KEY })
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/v1/buzzer/siren-live',
      headers: { authorization: `Bearer ${guard}` },
      payload: { action: 'on' },
    })
    const { requestId } = res.json().data
    const byId = (status: string) => (m: { request: { id: string; status: string } }) =>
      m.request.id === requestId && m.request.status === status
    expect((await c.next('buzzer.status', byId('queued'))).request.deviceId).toBe('siren-live')
    await st.app.inject({ method: 'GET', url: '/api/v1/buzzer/siren-live/pending', headers: KEY })
    await c.next('buzzer.status', byId('sent'))
    await st.app.inject({
      method: 'POST',
      url: `/api/v1/buzzer/requests/${requestId}/ack`,
      headers: KEY,
      payload: { ok: false, error: 'no power' },
    })
    await c.next('buzzer.status', byId('failed'))
    const ev = await c.next('event', (m) => m.event.type === 'buzzer.failed')
    // Guards read the cause, never a request id.
    expect(ev.event.message).toContain('no power')
    expect(ev.event.message).not.toContain(requestId)

    await st.app.inject({
      method: 'POST',
      url: `/api/events/${ev.event.id}/ack`,
      headers: { authorization: `Bearer ${guard}` },
      payload: { note: 'on it' },
    })
    const acked = await c.next('event.acked', (m) => m.event.id === ev.event.id)
    expect(acked.event).toMatchObject({ ackedBy: 'guard1', ackNote: 'on it' })
  })

  it('sends stats every 5 s to admins only', async () => {
    const g = await open(guard)
    const a = await open(admin)
    const stats = await a.next('stats')
    expect(stats.stats).toMatchObject({ websockets: expect.any(Object), memory: expect.any(Object) })
    expect(g.messages.some((m) => m.type === 'stats')).toBe(false)
  })

  it('cuts off a subscriber that stops reading; the others keep receiving; memory stays bounded', async () => {
    const healthy = await open(guard)
    const stuck = await open(guard)
    await stuck.next('hello')
    ;(stuck.ws as unknown as { _socket: Socket })._socket.pause()
    const before = st.app.live.stats().slowDisconnects
    const blob = 'b'.repeat(4.5 * 1024 * 1024) // bigger than the hub's hard bound
    let maxBuffered = 0
    for (let i = 0; i < 200 && st.app.live.stats().slowDisconnects === before; i++) {
      st.app.live.publish({ type: 'stats', stats: { i, blob } })
      maxBuffered = Math.max(maxBuffered, st.app.live.bufferedBytes())
      // Let the healthy subscribers drain between the big messages.
      await waitFor(() => healthy.messages.some((m) => m.type === 'stats' && m.stats.i === i), `message ${i}`)
    }
    expect(st.app.live.stats().slowDisconnects).toBe(before + 1)
    // Per subscriber: at most the soft bound plus one message.
    expect(maxBuffered).toBeLessThanOrEqual(clients.length * (512 * 1024 + blob.length + 1024))
    st.app.live.publish({ type: 'camera.status', cameraId: 7, online: false })
    await healthy.next('camera.status', (m) => m.cameraId === 7)
  })
})

describe('connection budgets', () => {
  let st: TestStation
  let url: string
  afterAll(() => st.close())

  it('one guard flooding live channels and viewers locks out neither devices, admins nor other desks', async () => {
    st = await createTestStation({ STATION_WS_MAX: '2' })
    url = (await st.start()).url
    const ws = url.replace(/^http/, 'ws')
    const guard = await st.guardToken()
    const admin = await st.login()
    const cam = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'Gate', kind: 'push' },
    })
    const cameraId = cam.json().data.id as number
    await st.app.inject({
      method: 'POST',
      url: `/api/v1/stream/fast/${cameraId}`,
      headers: { ...KEY, 'content-type': 'image/jpeg' },
      payload: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    })
    const held: WebSocket[] = []
    const open = (u: string, token?: string) =>
      new Promise<number>((resolve) => {
        const s = new WebSocket(u, { headers: token ? { authorization: `Bearer ${token}` } : {} })
        s.once('open', () => {
          held.push(s)
          resolve(101)
        })
        s.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        s.once('error', () => resolve(0))
      })
    // The guard's own caps: live channels and viewers (429 with Retry-After), whatever the station's room.
    const liveCodes: number[] = []
    for (let i = 0; i < LIVE_LIMITS.perUser + 2; i++)
      liveCodes.push(await open(`${ws}/ws/live?token=${guard}`))
    expect(liveCodes.filter((c) => c === 101)).toHaveLength(LIVE_LIMITS.perUser)
    expect(liveCodes.slice(-2)).toEqual([429, 429])
    const viewerCodes: number[] = []
    for (let i = 0; i < VIEWER_PER_USER + 2; i++) {
      viewerCodes.push(await open(`${ws}/ws/stream/${cameraId}`, guard))
    }
    expect(viewerCodes.filter((c) => c === 101)).toHaveLength(VIEWER_PER_USER)
    expect(viewerCodes.slice(-2)).toEqual([429, 429])
    // Devices have their own budget (STATION_WS_MAX counts device sockets only): both fit.
    expect(await upgradeStatus(`${ws}/ws/device?deviceId=d1`, KEY)).toBe(101)
    // An admin's desk and another user still get live channels and viewers.
    expect(await open(`${ws}/ws/live?token=${admin}`)).toBe(101)
    expect(await open(`${ws}/ws/stream/${cameraId}`, admin)).toBe(101)
    for (const s of held) s.terminate()
  })

  it('device sockets past STATION_WS_MAX get 503 with Retry-After', async () => {
    await waitFor(() => st.app.devices.stats().connected === 0, 'the first test’s device to leave')
    const ws = url.replace(/^http/, 'ws')
    const a = new WebSocket(`${ws}/ws/device?deviceId=b1`, { headers: KEY })
    const b = new WebSocket(`${ws}/ws/device?deviceId=b2`, { headers: KEY })
    await Promise.all([a, b].map((s) => new Promise((r) => s.once('open', r))))
    const refused = await new Promise<{ status: number; retry: string | undefined }>((resolve) => {
      const c = new WebSocket(`${ws}/ws/device?deviceId=b3`, { headers: KEY })
      c.once('unexpected-response', (_req, res) =>
        resolve({ status: res.statusCode ?? 0, retry: res.headers['retry-after'] as string | undefined }),
      )
    })
    expect(refused).toEqual({ status: 503, retry: '5' })
    a.terminate()
    b.terminate()
  })
})

describe('shutdown with a subscriber that stopped reading', () => {
  it('cuts it after a short grace instead of waiting out ws’s 30 s close timeout', async () => {
    const st = await createTestStation()
    const { url } = await st.start()
    const c = await connectLive(url, await st.login())
    await c.next('hello')
    ;(c.ws as unknown as { _socket: Socket })._socket.pause()
    st.app.live.publish({ type: 'stats', stats: { blob: 'x'.repeat(2_000_000) } })
    await st.close() // this test's 15 s timeout is half of ws's close timeout
    expect(st.app.websocketServer.clients.size).toBe(0)
    c.ws.terminate()
  }, 15_000)
})
