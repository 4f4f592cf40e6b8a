/**
 * Walks the station's whole route table (every route any part of the station registers, collected by
 * the HTTP plugin's onRoute hook) and proves the access rules: without credentials every route answers
 * 401 except an explicit allowlist; device routes refuse a wrong key; guards get 403 on admin routes;
 * devices get 403 on user routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InjectOptions } from 'fastify'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from './test-helper'
import type { RouteEntry } from './plugins/http'

/** The only routes anyone may call without credentials. */
const PUBLIC = new Set([
  'GET /api/health',
  'GET /api/openapi.json',
  'POST /api/auth/login',
  // The renderer's page and assets (registered only when a renderer build is present).
  'GET /',
  'GET /assets/*',
])

const key = (r: RouteEntry) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`

/** A concrete URL for a route pattern: params get dummy values that any param schema parses. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, '1').replace(/\*/g, 'x')
}

describe('route table access rules', () => {
  let st: TestStation
  let guard: string
  let routes: RouteEntry[]
  beforeAll(async () => {
    st = await createTestStation()
    guard = await st.guardToken()
    routes = [...st.app.routeTable]
  })
  afterAll(() => st.close())

  const call = (r: RouteEntry, headers: Record<string, string> = {}) =>
    st.app.inject({ method: r.method as InjectOptions['method'], url: concrete(r.url), headers })

  it('collects the whole route table', () => {
    const keys = new Set(routes.map(key))
    for (const k of [
      'GET /api/health',
      'POST /api/auth/login',
      'GET /api/cameras/active',
      'GET /api/openapi.json',
    ]) {
      expect(keys.has(k), k).toBe(true)
    }
    expect(routes.length).toBeGreaterThan(20)
  })

  it('declares public access only on the allowlist', () => {
    const open = routes.filter((r) => r.auth === 'public').map(key)
    for (const k of open) expect(PUBLIC.has(k), `${k} is public but not on the allowlist`).toBe(true)
  })

  it('answers 401 without credentials on every other route', async () => {
    const failures: string[] = []
    for (const r of routes) {
      if (PUBLIC.has(key(r))) continue
      const res = await call(r)
      if (res.statusCode !== 401) failures.push(`${r.method} ${r.url} -> ${res.statusCode}`)
      else if (r.method !== 'HEAD') expect(res.json()).toMatchObject({ success: false, statusCode: 401 })
    }
    expect(failures).toEqual([])
  })

  it('answers 401 to a wrong device key on device routes', async () => {
    const failures: string[] = []
    const deviceRoutes = routes.filter((r) => r.auth === 'device' || r.auth === 'device-or-guard')
    expect(deviceRoutes.length).toBeGreaterThan(0)
    for (const r of deviceRoutes) {
      const res = await call(r, { 'x-device-key': 'wrong-key-0123456789' })
      if (res.statusCode !== 401) failures.push(`${r.method} ${r.url} -> ${res.statusCode}`)
      else if (r.method !== 'HEAD') expect(res.json().code).toBe('BAD_DEVICE_KEY')
    }
    expect(failures).toEqual([])
  })

  it('answers 403 to a guard on every admin route (no policy means admin) and on /metrics', async () => {
    const failures: string[] = []
    const adminRoutes = routes.filter(
      (r) => r.auth === undefined || r.auth === 'admin' || r.auth === 'admin-or-scraper',
    )
    expect(adminRoutes.map(key)).toContain('GET /metrics')
    expect(adminRoutes.length).toBeGreaterThan(5)
    for (const r of adminRoutes) {
      const res = await call(r, { authorization: `Bearer ${guard}` })
      if (res.statusCode !== 403) failures.push(`${r.method} ${r.url} -> ${res.statusCode}`)
    }
    expect(failures).toEqual([])
  })

  it('answers 403 to a device on routes for signed-in users', async () => {
    const failures: string[] = []
    const userRoutes = routes.filter(
      (x) =>
        x.auth === undefined || x.auth === 'admin' || x.auth === 'guard' || x.auth === 'admin-or-scraper',
    )
    for (const r of userRoutes) {
      const res = await call(r, { 'x-device-key': TEST_DEVICE_KEY })
      if (res.statusCode !== 403) failures.push(`${r.method} ${r.url} -> ${res.statusCode}`)
    }
    expect(failures).toEqual([])
  })

  it('answers 401 for unknown paths without credentials (route existence is not revealed)', async () => {
    for (const url of ['/api/nope', '/api/cameras/1/secret', '/admin']) {
      expect((await st.app.inject({ method: 'GET', url })).statusCode).toBe(401)
      expect((await st.app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(401)
    }
  })
})
