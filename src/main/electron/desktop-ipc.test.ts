/**
 * The IPC sender guard against a real station: only the main frame of the app page, in a window the
 * app created, reaches the station; foreign pages, child frames, other webContents and malformed
 * payloads are refused before any route runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/contract'
import { createTestStation, TEST_ADMIN_PASSWORD, type TestStation } from '../server/test-helper'
import { createAppOrigin } from './app-origin'
import { registerDesktopIpc } from './desktop-ipc'
import { IpcMainDouble, SessionDouble, WebContentsDouble } from './test-support/electron-double'

describe('desktop IPC', () => {
  let station: TestStation
  const ipcMain = new IpcMainDouble()
  const own = new WebContentsDouble(1, new SessionDouble())
  const other = new WebContentsDouble(2, new SessionDouble())
  const refusals: string[] = []
  let page = ''
  let dispose: () => void

  beforeAll(async () => {
    station = await createTestStation()
    const { url } = await station.start()
    const origin = createAppOrigin()
    origin.set(url)
    page = origin.pageUrl()
    dispose = registerDesktopIpc({
      ipcMain,
      app: station.app,
      origin,
      isTrustedSender: (id) => id === own.id,
      log: { warn: (_obj, msg) => void refusals.push(msg) },
    })
  })
  afterAll(async () => {
    dispose()
    await station.close()
  })

  const login = (sender: WebContentsDouble, frame: { url: string; parent?: unknown } | null) =>
    ipcMain.invoke(
      sender,
      frame,
      IPC_CHANNELS.request,
      'auth:login',
      { username: 'admin', password: TEST_ADMIN_PASSWORD },
      null,
    )

  it('serves the app page of its own window', async () => {
    const res = (await login(own, { url: `${page}#/cameras` })) as { ok: boolean; data: { token: string } }
    expect(res.ok).toBe(true)
    expect(res.data.token).toMatch(/\S{20,}/)
  })

  it('answers station refusals as data, never as a thrown error', async () => {
    const res = await ipcMain.invoke(own, { url: page }, IPC_CHANNELS.request, 'cameras:list', {}, null)
    expect(res).toMatchObject({ ok: false, status: 401, code: 'UNAUTHORIZED' })
  })

  it('refuses a webContents the app did not create, even on the app page', async () => {
    await expect(login(other, { url: page })).rejects.toThrow(/not a window of this app/)
    expect(refusals).toContain('IPC refused: not a window of this app')
  })

  it('refuses foreign pages, child frames and vanished frames in its own window', async () => {
    await expect(login(own, { url: 'https://example.com/' })).rejects.toThrow(/foreign sender/)
    await expect(login(own, { url: `${page.replace(/:\d+\//, ':1/')}` })).rejects.toThrow(/foreign sender/)
    await expect(login(own, { url: `${page}api/health` })).rejects.toThrow(/foreign sender/)
    await expect(login(own, { url: page, parent: { url: page } })).rejects.toThrow(/not the main frame/)
    await expect(login(own, null)).rejects.toThrow(/frame is gone/)
  })

  it('validates every payload', async () => {
    const call = (...args: unknown[]) => ipcMain.invoke(own, { url: page }, IPC_CHANNELS.request, ...args)
    await expect(call('shell:exec', {}, null)).rejects.toThrow(/unknown operation/)
    await expect(call('cameras:list', 'not-an-object', null)).rejects.toThrow(/must be an object/)
    await expect(call('cameras:update', { name: 'x' }, 'token')).rejects.toThrow(/needs "id"/)
    await expect(call('cameras:list', JSON.parse('{"__proto__": {"admin": true}}'), null)).rejects.toThrow(
      /forbidden key/,
    )
    await expect(call('cameras:list', { deep: { a: { b: { c: { d: 1 } } } } }, null)).rejects.toThrow(
      /nested too deep/,
    )
    await expect(call('cameras:list', { big: 'x'.repeat(70_000) }, null)).rejects.toThrow(/too large/)
    await expect(call('cameras:list', {}, 'x'.repeat(300))).rejects.toThrow(/malformed session token/)
    await expect(call('cameras:list', { n: Number.NaN }, null)).rejects.toThrow(/finite number/)
  })

  it('starts live subscriptions only for its own window', async () => {
    const token = await station.login()
    ipcMain.send(other, { url: page }, IPC_CHANNELS.liveStart, 1, token)
    ipcMain.send(own, { url: 'https://example.com/' }, IPC_CHANNELS.liveStart, 2, token)
    ipcMain.send(own, { url: page }, IPC_CHANNELS.liveStart, 3, token)
    expect(other.sent).toEqual([])
    expect(own.sent.map((m) => (m.payload as { subId: number }).subId)).toEqual([3, 3])
    expect(own.sent[0]).toMatchObject({
      channel: IPC_CHANNELS.liveState,
      payload: { state: { state: 'open' } },
    })
    ipcMain.send(own, { url: page }, IPC_CHANNELS.liveStop, 3)
  })
})
