import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../test-helper'
import { COMPRESS_THRESHOLD, DEFAULT_CACHE_CONTROL } from './http'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('rate limit', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation({ RATE_LIMIT_MAX: '5' })
  })
  afterAll(() => st.close())

  it('limits anonymous clients per IP and exempts signed-in users and devices', async () => {
    const token = await st.login() // one anonymous request (the login itself)
    const health = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
      st.app.inject({ method: 'GET', url: '/api/health', headers, remoteAddress })
    for (let i = 0; i < 4; i++) {
      const res = await health()
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-ratelimit-limit']).toBe('5')
    }
    const limited = await health()
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({
      success: false,
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    })
    expect(limited.json().message).toMatch(/retry in/)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)

    // The same client, signed in or presenting the device key, is not limited.
    for (let i = 0; i < 20; i++) {
      expect((await health(bearer(token))).statusCode).toBe(200)
      expect(
        (await st.app.inject({ method: 'GET', url: '/api/cameras', headers: bearer(token) })).statusCode,
      ).toBe(200)
      expect((await health({ 'x-device-key': TEST_DEVICE_KEY })).statusCode).toBe(200)
    }
    // Another client has its own allowance.
    expect((await health({}, '10.0.0.7')).statusCode).toBe(200)
    // Still limited anonymously.
    expect((await health()).statusCode).toBe(429)
  })
})

describe('HTTP plumbing', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    for (let i = 0; i < 20; i++) {
      await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: bearer(admin),
        payload: {
          name: `Perimeter camera number ${i}`,
          kind: 'mjpeg',
          url: `http://192.168.50.${i + 1}/video.mjpg`,
        },
      })
    }
  })
  afterAll(() => st.close())

  it('compresses answers above the threshold (cache hits too) and leaves small ones alone', async () => {
    const headers = { ...bearer(admin), 'accept-encoding': 'gzip' }
    const plain = await st.app.inject({ method: 'GET', url: '/api/cameras', headers: bearer(admin) })
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_THRESHOLD)
    expect(plain.headers['content-encoding']).toBeUndefined()
    for (const expected of ['HIT', 'HIT']) {
      const res = await st.app.inject({ method: 'GET', url: '/api/cameras', headers })
      expect(res.headers['x-cache']).toBe(expected)
      expect(res.headers['content-encoding']).toBe('gzip')
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length)
      expect(gunzipSync(res.rawPayload).toString()).toBe(plain.body)
    }
    // The cache stores the plain body, whatever the first client accepted.
    st.app.responseCache.clear()
    const first = await st.app.inject({ method: 'GET', url: '/api/cameras', headers })
    expect(first.headers['x-cache']).toBe('MISS')
    expect(first.headers['content-encoding']).toBe('gzip')
    const second = await st.app.inject({ method: 'GET', url: '/api/cameras', headers: bearer(admin) })
    expect(second.headers['x-cache']).toBe('HIT')
    expect(second.headers['content-encoding']).toBeUndefined()
    expect(second.body).toBe(plain.body)

    const small = await st.app.inject({ method: 'GET', url: '/api/health', headers })
    expect(small.headers['content-encoding']).toBeUndefined()
  })

  it('keeps private answers out of shared caches', async () => {
    for (const url of ['/api/cameras', '/api/auth/me', '/api/cameras/99999']) {
      const res = await st.app.inject({ method: 'GET', url, headers: bearer(admin) })
      expect(res.headers['cache-control'], url).toBe(DEFAULT_CACHE_CONTROL)
    }
    const denied = await st.app.inject({ method: 'GET', url: '/api/cameras' })
    expect(denied.statusCode).toBe(401)
    expect(denied.headers['cache-control']).toBe(DEFAULT_CACHE_CONTROL)
    // A route may say otherwise.
    const health = await st.app.inject({ method: 'GET', url: '/api/health' })
    expect(health.headers['cache-control']).toBe('no-store')
  })

  it('refuses cross-origin state-changing requests and allows same-origin ones', async () => {
    const payload = { name: 'Origin test', kind: 'push' }
    const foreign = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { ...bearer(admin), origin: 'http://evil.example' },
      payload,
    })
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json()).toMatchObject({ success: false, code: 'FOREIGN_ORIGIN' })
    const names = (await st.app.inject({ method: 'GET', url: '/api/cameras', headers: bearer(admin) }))
      .json()
      .data.map((c: { name: string }) => c.name)
    expect(names).not.toContain('Origin test')

    const same = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { ...bearer(admin), host: 'localhost:8787', origin: 'http://localhost:8787' },
      payload,
    })
    expect(same.statusCode).toBe(201)
    // Reads from a foreign page are not state-changing (and still need a session).
    const read = await st.app.inject({
      method: 'GET',
      url: '/api/cameras',
      headers: { ...bearer(admin), origin: 'http://evil.example' },
    })
    expect(read.statusCode).toBe(200)
  })

  it('serves an OpenAPI document that lists the routes and how each authenticates', async () => {
    const res = await st.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      deviceKey: { type: 'apiKey', in: 'header', name: 'x-device-key' },
    })
    for (const path of [
      '/api/health',
      '/api/auth/login',
      '/api/auth/me',
      '/api/users',
      '/api/users/{id}',
      '/api/cameras',
      '/api/cameras/active',
      '/api/cameras/{id}',
      '/api/areas',
      '/api/stream',
      '/api/cache/stats',
      '/api/settings/device-key',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(doc.paths['/api/auth/login'].post.security).toEqual([])
    expect(doc.paths['/api/cameras'].post.security).toEqual([{ bearerAuth: [] }])
    expect(doc.paths['/api/cameras'].post.description).toMatch(/Admins only/)
    expect(doc.paths['/api/cameras'].post.tags).toEqual(['cameras'])
    const deviceOps = Object.values(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)
      .flatMap((ops) => Object.values(ops))
      .filter((op) => JSON.stringify(op.security ?? []).includes('deviceKey'))
    expect(deviceOps.length).toBeGreaterThan(0)
    // Every documented route is the station's: none is listed twice or without responses.
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: object }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) expect(op.responses, `${method} ${path}`).toBeDefined()
    }
  })
})
