import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InjectOptions } from 'fastify'
import { randomBytes, scryptSync } from 'node:crypto'
import { createTestStation, TEST_ADMIN_PASSWORD, TEST_DEVICE_KEY, type TestStation } from '../test-helper'
import { LOGIN_FAILURES_PER_IP } from './login-limiter'
import { FREE_FAILURES } from '../../auth/sign-in-backoff'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function until(cond: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('sign-in, sessions and users', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
  })
  afterAll(() => st.close())

  const inject = (opts: InjectOptions) => st.app.inject(opts)
  const me = (token: string) => inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
  const createUser = (username: string, password: string, role = 'guard') =>
    inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username, password, role },
    })

  it('signs in and answers the token, its expiry and the user', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    const { data } = res.json()
    expect(data.user).toEqual({ username: 'admin', role: 'admin' })
    expect(typeof data.token).toBe('string')
    expect(data.expiresAt).toBeGreaterThan(Date.now())
    expect(data.expiresAt).toBeLessThanOrEqual(Date.now() + st.config.sessionIdleMs)
    const who = await me(data.token)
    expect(who.statusCode).toBe(200)
    expect(who.json().data).toMatchObject({ username: 'admin', role: 'admin' })
  })

  it('upgrades a hash made with the old, lower scrypt cost on the next successful sign-in', async () => {
    const salt = randomBytes(16)
    const key = scryptSync('an-old-password-1', salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    })
    const old = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
    const user = st.app.auth.users.create('oldhash', 'guard', old)
    await st.login('oldhash', 'an-old-password-1')
    const stored = st.app.auth.users.findByUsername('oldhash')!.passwordHash
    expect(stored.split('$')[1]).toBe(String(2 ** 17))
    await st.login('oldhash', 'an-old-password-1')
    expect(st.app.auth.users.get(user.id)?.username).toBe('oldhash')
  })

  it('refuses the commonest passwords and one equal to the username', async () => {
    expect((await createUser('weakling', 'password123')).json()).toMatchObject({ statusCode: 400 })
    expect((await createUser('nightdesk01', 'NightDesk01')).json().message).toMatch(/username/)
  })

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const payload of [
      { username: 'admin', password: 'wrong-password' },
      { username: 'nobody-here', password: 'wrong-password' },
    ]) {
      const res = await inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress: '10.9.9.9' })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ success: false, statusCode: 401, code: 'BAD_LOGIN' })
    }
  })

  it('rejects malformed login bodies with 400', async () => {
    for (const payload of [
      {},
      { username: 'admin' },
      { username: { a: 1 }, password: 'x' },
      '{"username":',
    ]) {
      const res = await inject({
        method: 'POST',
        url: '/api/auth/login',
        payload,
        headers: { 'content-type': 'application/json' },
        remoteAddress: '10.9.9.8',
      })
      expect(res.statusCode, JSON.stringify(payload) + res.body).toBe(400)
      expect(res.json().success).toBe(false)
    }
  })

  it('ends a session on logout', async () => {
    const token = await st.login()
    expect((await me(token)).statusCode).toBe(200)
    const out = await inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })
    expect(out.statusCode).toBe(200)
    expect(out.json().data).toEqual({ loggedOut: true })
    expect((await me(token)).statusCode).toBe(401)
    expect((await me(admin)).statusCode).toBe(200)
  })

  it('requires a session for me and logout; a device key is not a session', async () => {
    expect((await inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
    expect((await inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(401)
    const dev = await inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
    })
    expect(dev.statusCode).toBe(403)
  })

  it('lets admins create, list, change and delete users', async () => {
    const created = await createUser('Alice.G', 'alice-password-1')
    expect(created.statusCode).toBe(201)
    const alice = created.json().data
    expect(alice).toMatchObject({ username: 'Alice.G', role: 'guard' })
    expect(JSON.stringify(created.json())).not.toContain('password')

    const list = await inject({ method: 'GET', url: '/api/users', headers: bearer(admin) })
    expect(list.statusCode).toBe(200)
    expect(list.json().data.map((u: { username: string }) => u.username)).toContain('Alice.G')

    // Duplicate usernames (case-insensitively) are a conflict.
    expect((await createUser('alice.g', 'another-password-1')).statusCode).toBe(409)
    // Password rules and field validation.
    const short = await createUser('bob', 'short')
    expect(short.statusCode).toBe(400)
    expect(short.json().message).toMatch(/at least 10/)
    expect((await createUser('bob', 'bob-password-1', 'root')).statusCode).toBe(400)
    expect((await createUser('bad name!', 'bob-password-1')).statusCode).toBe(400)

    // A guard may not manage users.
    const aliceToken = await st.login('Alice.G', 'alice-password-1')
    expect((await inject({ method: 'GET', url: '/api/users', headers: bearer(aliceToken) })).statusCode).toBe(
      403,
    )

    // Promotion signs her out everywhere; she signs in again as an admin.
    const promoted = await inject({
      method: 'PUT',
      url: `/api/users/${alice.id}`,
      headers: bearer(admin),
      payload: { role: 'admin' },
    })
    expect(promoted.statusCode).toBe(200)
    expect(promoted.json().data.role).toBe('admin')
    expect((await me(aliceToken)).statusCode).toBe(401)
    const again = await st.login('Alice.G', 'alice-password-1')
    expect((await me(again)).json().data.role).toBe('admin')

    // A new password set by an admin signs her out too, and the old password stops working.
    const reset = await inject({
      method: 'PUT',
      url: `/api/users/${alice.id}`,
      headers: bearer(admin),
      payload: { password: 'alice-password-2' },
    })
    expect(reset.statusCode).toBe(200)
    expect((await me(again)).statusCode).toBe(401)
    await expect(st.login('Alice.G', 'alice-password-1')).rejects.toThrow(/401/)
    const third = await st.login('Alice.G', 'alice-password-2')

    const del = await inject({ method: 'DELETE', url: `/api/users/${alice.id}`, headers: bearer(admin) })
    expect(del.statusCode).toBe(200)
    expect((await me(third)).statusCode).toBe(401)
    expect(
      (await inject({ method: 'DELETE', url: `/api/users/${alice.id}`, headers: bearer(admin) })).statusCode,
    ).toBe(404)
    expect(
      (
        await inject({
          method: 'PUT',
          url: '/api/users/9999',
          headers: bearer(admin),
          payload: { role: 'guard' },
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (await inject({ method: 'PUT', url: `/api/users/1`, headers: bearer(admin), payload: {} })).statusCode,
    ).toBe(400)
  })

  it('never removes or demotes the last admin', async () => {
    const users = (await inject({ method: 'GET', url: '/api/users', headers: bearer(admin) })).json()
      .data as {
      id: number
      username: string
      role: string
    }[]
    const admins = users.filter((u) => u.role === 'admin')
    expect(admins).toHaveLength(1)
    const id = admins[0]!.id
    const demote = await inject({
      method: 'PUT',
      url: `/api/users/${id}`,
      headers: bearer(admin),
      payload: { role: 'guard' },
    })
    expect(demote.statusCode).toBe(409)
    const del = await inject({ method: 'DELETE', url: `/api/users/${id}`, headers: bearer(admin) })
    expect(del.statusCode).toBe(409)
    expect(del.json().message).toMatch(/last admin/)
    expect((await me(admin)).statusCode).toBe(200)

    // With a second admin, the first may go.
    const second = (await createUser('second-admin', 'second-password-1', 'admin')).json().data
    const secondToken = await st.login('second-admin', 'second-password-1')
    expect(
      (await inject({ method: 'DELETE', url: `/api/users/${id}`, headers: bearer(secondToken) })).statusCode,
    ).toBe(200)
    expect((await me(admin)).statusCode).toBe(401)
    // Now the second one is the last admin.
    const self = await inject({
      method: 'DELETE',
      url: `/api/users/${second.id}`,
      headers: bearer(secondToken),
    })
    expect(self.statusCode).toBe(409)
    admin = secondToken
  })

  it('lets any user change their own password; other sessions end, a fresh token is answered', async () => {
    await createUser('carol', 'carol-password-1')
    const a = await st.login('carol', 'carol-password-1')
    const b = await st.login('carol', 'carol-password-1')
    const url = '/api/auth/password'
    const wrong = await inject({
      method: 'PUT',
      url,
      headers: bearer(a),
      payload: { currentPassword: 'not-her-password', newPassword: 'carol-password-2' },
    })
    expect(wrong.statusCode).toBe(403)
    const weak = await inject({
      method: 'PUT',
      url,
      headers: bearer(a),
      payload: { currentPassword: 'carol-password-1', newPassword: 'short' },
    })
    expect(weak.statusCode).toBe(400)
    const ok = await inject({
      method: 'PUT',
      url,
      headers: bearer(a),
      payload: { currentPassword: 'carol-password-1', newPassword: 'carol-password-2' },
    })
    expect(ok.statusCode).toBe(200)
    const fresh = ok.json().data.token as string
    expect((await me(a)).statusCode).toBe(401)
    expect((await me(b)).statusCode).toBe(401)
    expect((await me(fresh)).statusCode).toBe(200)
    await expect(st.login('carol', 'carol-password-1')).rejects.toThrow(/401/)
    await st.login('carol', 'carol-password-2')
  })
})

describe('failed sign-ins are rate-limited hard', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(() => st.close())

  const attempt = (username: string, password: string, remoteAddress: string) =>
    st.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress })

  it('answers 429 per client IP after a handful of failures, even for the right password', async () => {
    const ip = '10.0.0.1'
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      expect((await attempt('admin', `wrong-${i}`, ip)).statusCode).toBe(401)
    }
    const blocked = await attempt('admin', TEST_ADMIN_PASSWORD, ip)
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json()).toMatchObject({ success: false, statusCode: 429, code: 'RATE_LIMITED' })
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    // Another client is not affected, and successes never count.
    for (let i = 0; i < LOGIN_FAILURES_PER_IP + 2; i++) {
      expect((await attempt('admin', TEST_ADMIN_PASSWORD, '10.0.0.2')).statusCode).toBe(200)
    }
  })

  it('holds parallel guesses to the limit too', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt('nobody', `parallel-${i}`, '10.0.0.3')),
    )
    const codes = results.map((r) => r.statusCode)
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(LOGIN_FAILURES_PER_IP)
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(12 - LOGIN_FAILURES_PER_IP)
  })

  it('slows guesses at one username from many IPs without locking its owner out', async () => {
    await st.guardToken()
    // Guesses from two addresses, past the free failures (this locked the account out for 60 s before).
    for (let i = 0; i < FREE_FAILURES + 3; i++) {
      expect((await attempt(i % 2 ? 'GUARD1' : 'guard1', `wrong-${i}`, `10.1.${i % 2}.1`)).statusCode).toBe(
        401,
      )
    }
    // The owner, from an address that never guessed, gets in (after waiting its turn).
    expect((await attempt('guard1', 'guard-password-1', '10.2.0.1')).statusCode).toBe(200)
    expect((await attempt('admin', TEST_ADMIN_PASSWORD, '10.2.0.1')).statusCode).toBe(200)
  })
})

describe('session expiry', () => {
  it('refuses a session once it has expired', async () => {
    const st = await createTestStation({ STATION_SESSION_IDLE_MS: '1000' })
    try {
      const token = await st.login()
      const me = () => st.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
      expect((await me()).statusCode).toBe(200)
      await until(async () => (await me()).statusCode === 401)
      expect(st.app.auth.cleanupExpired()).toBe(1)
    } finally {
      await st.close()
    }
  })
})

describe('site device key', () => {
  const deviceRoute = (st: TestStation) => {
    const r = st.app.routeTable.find((x) => x.auth === 'device' && x.method === 'POST' && !x.websocket)
    if (!r) throw new Error('no device route registered')
    return { method: 'POST' as const, url: r.url.replace(/:[^/]+/g, 'dev-1') }
  }

  it('is shown to admins only and rotates when the station generated it', async () => {
    const st = await createTestStation({ STATION_DEVICE_KEY: '' })
    try {
      const admin = await st.login()
      const guard = await st.guardToken()
      const url = '/api/settings/device-key'
      expect((await st.app.inject({ method: 'GET', url, headers: bearer(guard) })).statusCode).toBe(403)
      const got = await st.app.inject({ method: 'GET', url, headers: bearer(admin) })
      expect(got.statusCode).toBe(200)
      const old = got.json().data
      expect(old).toMatchObject({ header: 'x-device-key', source: 'station' })
      expect(old.deviceKey.length).toBeGreaterThanOrEqual(32)

      const route = deviceRoute(st)
      const withKey = (key: string) =>
        st.app.inject({ ...route, headers: { 'x-device-key': key }, payload: {} })
      expect((await withKey(old.deviceKey)).statusCode).not.toBe(401)

      expect(
        (await st.app.inject({ method: 'POST', url: `${url}/rotate`, headers: bearer(guard) })).statusCode,
      ).toBe(403)
      const rotated = await st.app.inject({ method: 'POST', url: `${url}/rotate`, headers: bearer(admin) })
      expect(rotated.statusCode).toBe(200)
      const fresh = rotated.json().data.deviceKey as string
      expect(fresh).not.toBe(old.deviceKey)
      const refused = await withKey(old.deviceKey)
      expect(refused.statusCode).toBe(401)
      expect(refused.json().code).toBe('BAD_DEVICE_KEY')
      expect((await withKey(fresh)).statusCode).not.toBe(401)
      expect(
        (await st.app.inject({ method: 'GET', url, headers: bearer(admin) })).json().data.deviceKey,
      ).toBe(fresh)
    } finally {
      await st.close()
    }
  })

  it('is not rotated through the API when STATION_DEVICE_KEY sets it', async () => {
    const st = await createTestStation()
    try {
      const admin = await st.login()
      const got = await st.app.inject({
        method: 'GET',
        url: '/api/settings/device-key',
        headers: bearer(admin),
      })
      expect(got.json().data).toMatchObject({ deviceKey: TEST_DEVICE_KEY, source: 'environment' })
      const res = await st.app.inject({
        method: 'POST',
        url: '/api/settings/device-key/rotate',
        headers: bearer(admin),
      })
      expect(res.statusCode).toBe(409)
      expect(res.json().message).toMatch(/STATION_DEVICE_KEY/)
    } finally {
      await st.close()
    }
  })
})
