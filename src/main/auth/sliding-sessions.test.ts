/**
 * Sliding sessions (issue 14.5): a guard's actions renew their session by the idle timeout, reads and
 * live pushes do not, nothing renews past the absolute maximum, and a live socket closes when its
 * session ends (by idling or at the maximum) without anyone calling the sweep.
 */
import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { runMigrations } from '../database/migrations'
import { createTestStation, type TestStation } from '../server/test-helper'
import { CLOSE_REVOKED } from './open-connections'
import { SessionsRepository } from './sessions-repository'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function liveSocket(url: string) {
  const ws = new WebSocket(url)
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, closed, opened }
}

describe('session arithmetic (real SQLite, the clock passed in)', () => {
  const db = new Database(':memory:')
  runMigrations(db)
  db.prepare(
    "INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('g', 'guard', 'x', 0, 0)",
  ).run()
  const repo = new SessionsRepository(db as never)
  const times = { idleMs: 1000, maxMs: 5000 }

  it('renews by the idle timeout from now, caps at the maximum, and never revives an ended session', () => {
    expect(repo.create('h1', 1, times, 0)).toEqual({ expiresAt: 1000, maxExpiresAt: 5000 })
    expect(repo.renew('h1', times.idleMs, 600)).toMatchObject({ expiresAt: 1600, maxExpiresAt: 5000 })
    expect(repo.renew('h1', times.idleMs, 1500)).toMatchObject({ expiresAt: 2500 })
    expect(repo.renew('h1', times.idleMs, 4500)).toBeUndefined() // idle since 2500: ended
    expect(repo.find('h1', 2400)).toMatchObject({ expiresAt: 2500 })

    repo.create('h2', 1, times, 0)
    for (let t = 800; t < 5000; t += 800) repo.renew('h2', times.idleMs, t)
    expect(repo.find('h2', 4900)).toMatchObject({ expiresAt: 5000, maxExpiresAt: 5000 })
    expect(repo.renew('h2', times.idleMs, 5000)).toBeUndefined()
  })

  it('starts a session ending at the maximum when that comes before the idle timeout', () => {
    expect(repo.create('h3', 1, { idleMs: 9000, maxMs: 2000 }, 100)).toEqual({
      expiresAt: 2100,
      maxExpiresAt: 2100,
    })
  })
})

describe('sliding sessions on a real station', () => {
  let st: TestStation | undefined
  afterEach(async () => {
    await st?.close()
    st = undefined
  })
  const storedEnd = (s: TestStation, token: string) =>
    s.app.auth.sessionEnd(
      (s.app.auth.resolve(bearer(token)) as { tokenHash: string } | null)?.tokenHash ?? '',
    )

  it('an action renews the session; reads and the live socket do not', async () => {
    st = await createTestStation({ STATION_SESSION_IDLE_MS: '600000', STATION_SESSION_MAX_MS: '3600000' })
    const s = st
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'admin-password-for-tests' },
    })
    const { token, expiresAt, maxExpiresAt, warnMs } = login.json().data
    expect(maxExpiresAt - expiresAt).toBe(3_600_000 - 600_000)
    expect(warnMs).toBe(s.config.sessionWarnMs)
    const base = (await s.start()).url.replace(/^http/, 'ws')
    const live = liveSocket(`${base}/ws/live?token=${token}`)
    await live.opened
    await until('the clock to move on', () => Date.now() > expiresAt - 600_000)
    const me = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
    expect(me.json().data).toMatchObject({ expiresAt, maxExpiresAt })
    expect(storedEnd(s, token)).toBe(expiresAt)

    const action = await s.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(token),
      payload: { username: 'nightguard', password: 'night-guard-password', role: 'guard' },
    })
    expect(action.statusCode).toBe(201)
    const renewed = storedEnd(s, token)!
    expect(renewed).toBeGreaterThan(expiresAt)
    const again = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
    expect(again.json().data).toMatchObject({ expiresAt: renewed, maxExpiresAt })
    live.ws.close()
  })

  it('a session nobody uses expires, and its live socket closes at that moment', async () => {
    st = await createTestStation({ STATION_SESSION_IDLE_MS: '1500' })
    const s = st
    const token = await s.login()
    const base = (await s.start()).url.replace(/^http/, 'ws')
    const live = liveSocket(`${base}/ws/live?token=${token}`)
    await live.opened
    // Reads while waiting: they do not keep the session alive.
    await until('the session to end', async () => {
      const me = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
      return me.statusCode === 401
    })
    expect(await live.closed).toBe(CLOSE_REVOKED)
  })

  it('"Stay signed in" renews up to the longest sign-in and no further; then the socket closes', async () => {
    st = await createTestStation({ STATION_SESSION_IDLE_MS: '600000', STATION_SESSION_MAX_MS: '2000' })
    const s = st
    const token = await s.login()
    const base = (await s.start()).url.replace(/^http/, 'ws')
    const live = liveSocket(`${base}/ws/live?token=${token}`)
    await live.opened
    const renew = () => s.app.inject({ method: 'POST', url: '/api/auth/renew', headers: bearer(token) })
    const first = await renew()
    expect(first.statusCode).toBe(200)
    const { maxExpiresAt } = first.json().data
    expect(first.json().data.expiresAt).toBe(maxExpiresAt)
    let last = first
    await until('the longest sign-in to end the session', async () => {
      last = await renew()
      if (last.statusCode === 200) expect(last.json().data.expiresAt).toBe(maxExpiresAt)
      return last.statusCode === 401
    })
    expect(Date.now()).toBeGreaterThanOrEqual(maxExpiresAt)
    expect(await live.closed).toBe(CLOSE_REVOKED)
  })
})
