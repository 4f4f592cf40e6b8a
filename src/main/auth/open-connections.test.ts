import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestStation, type TestStation } from '../server/test-helper'
import { CLOSE_REVOKED } from './open-connections'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Opens a WebSocket and resolves once it is open; `closed` resolves with the close code and reason. */
function open(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, opened, closed }
}

describe('open connections close when their credential stops being valid', () => {
  let st: TestStation
  let base: string
  let admin: string
  beforeAll(async () => {
    st = await createTestStation()
    base = (await st.start()).url.replace(/^http/, 'ws')
    admin = await st.login()
  })
  afterAll(() => st.close())

  const liveFor = async (token: string) => {
    const c = open(`${base}/ws/live?token=${token}`)
    await c.opened
    return c
  }
  const newUser = async (username: string, role: 'guard' | 'admin' = 'guard') => {
    const password = `${username}-long-password-1`
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username, password, role },
    })
    expect(res.statusCode).toBe(201)
    return { id: res.json().data.id as number, token: await st.login(username, password), password }
  }

  it('sign-out closes that session’s live socket (and not the user’s other sessions)', async () => {
    const u = await newUser('desk1')
    const other = await st.login('desk1', u.password)
    const a = await liveFor(u.token)
    const b = await liveFor(other)
    await st.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(u.token) })
    expect(await a.closed).toMatchObject({ code: CLOSE_REVOKED })
    expect(b.ws.readyState).toBe(WebSocket.OPEN)
    b.ws.close()
  })

  it('deleting, demoting or re-passwording a user closes every socket of theirs', async () => {
    const deleted = await newUser('desk2')
    const d = await liveFor(deleted.token)
    await st.app.inject({ method: 'DELETE', url: `/api/users/${deleted.id}`, headers: bearer(admin) })
    expect((await d.closed).code).toBe(CLOSE_REVOKED)

    const demoted = await newUser('admin2', 'admin')
    const m = await liveFor(demoted.token)
    await st.app.inject({
      method: 'PUT',
      url: `/api/users/${demoted.id}`,
      headers: bearer(admin),
      payload: { role: 'guard' },
    })
    expect((await m.closed).code).toBe(CLOSE_REVOKED)

    const changer = await newUser('desk3')
    const p = await liveFor(changer.token)
    await st.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      headers: bearer(changer.token),
      payload: { currentPassword: changer.password, newPassword: 'a-brand-new-password-3' },
    })
    expect((await p.closed).code).toBe(CLOSE_REVOKED)
  })

  it('rotating the site key closes device sockets opened with the old one', async () => {
    // A station that generated its own key (one set by STATION_DEVICE_KEY is not rotated here).
    const own = await createTestStation({ STATION_DEVICE_KEY: '' })
    try {
      const url = (await own.start()).url.replace(/^http/, 'ws')
      const token = await own.login()
      const key = (
        await own.app.inject({ method: 'GET', url: '/api/settings/device-key', headers: bearer(token) })
      ).json().data.deviceKey as string
      const dev = open(`${url}/ws/device?deviceId=rot-1`, { 'x-device-key': key })
      await dev.opened
      const res = await own.app.inject({
        method: 'POST',
        url: '/api/settings/device-key/rotate',
        headers: bearer(token),
      })
      expect(res.statusCode).toBe(200)
      expect((await dev.closed).code).toBe(CLOSE_REVOKED)
    } finally {
      await own.close()
    }
  })

  it('a session that expired is closed by the sweep', async () => {
    const u = await newUser('desk4')
    const s = await liveFor(u.token)
    st.app.db.prepare('UPDATE sessions SET expires_at = 0 WHERE user_id = ?').run(u.id)
    st.app.auth.forgetSessions()
    expect(st.app.connections.sweep()).toBeGreaterThanOrEqual(1)
    expect((await s.closed).code).toBe(CLOSE_REVOKED)
  })
})
