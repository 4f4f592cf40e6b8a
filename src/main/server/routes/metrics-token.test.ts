/**
 * The Prometheus scrape credential: a metrics token that admins issue and revoke opens GET /metrics and
 * nothing else; an allowlist of scraper addresses (STATION_METRICS_ALLOW) opens it without a token; an
 * admin session keeps working throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../test-helper'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('metrics token', () => {
  let st: TestStation
  let url: string
  let admin: string
  let guard: string
  const scrape = (headers: Record<string, string> = {}) => fetch(`${url}/metrics`, { headers })
  const issue = async () => {
    const res = await fetch(`${url}/api/settings/metrics-token`, { method: 'POST', headers: bearer(admin) })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    return ((await res.json()) as { data: { token: string; issued: boolean; issuedBy: string } }).data
  }

  beforeAll(async () => {
    st = await createTestStation()
    url = (await st.start()).url
    admin = await st.login()
    guard = await st.guardToken()
  })
  afterAll(() => st.close())

  it('is issued by admins only, shown once, and stored hashed', async () => {
    const status = async () =>
      (
        await st.app.inject({ method: 'GET', url: '/api/settings/metrics-token', headers: bearer(admin) })
      ).json().data as Record<string, unknown>
    expect(await status()).toEqual({ issued: false, issuedAt: null, issuedBy: null, allow: [] })
    const asGuard = await fetch(`${url}/api/settings/metrics-token`, {
      method: 'POST',
      headers: bearer(guard),
    })
    expect(asGuard.status).toBe(403)
    expect(await asGuard.json()).toMatchObject({ success: false, statusCode: 403, code: 'FORBIDDEN' })

    const issued = await issue()
    expect(issued).toMatchObject({ issued: true, issuedBy: 'admin' })
    expect(issued.token.length).toBeGreaterThanOrEqual(40)
    const after = await status()
    expect(after).toMatchObject({ issued: true, issuedBy: 'admin', allow: [] })
    expect(JSON.stringify(after)).not.toContain(issued.token)
    const rows = st.app.db.prepare('SELECT key, value FROM settings').all() as {
      key: string
      value: string
    }[]
    expect(rows.some((r) => r.key === 'metrics.token')).toBe(true)
    expect(JSON.stringify(rows)).not.toContain(issued.token)
  })

  it('scrapes /metrics, is refused everywhere else, and stops working once replaced or revoked', async () => {
    expect((await scrape()).status).toBe(401)
    const { token } = await issue()

    const ok = await scrape(bearer(token))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(await ok.text()).toContain('# TYPE station_http_request_duration_seconds histogram')

    // Not a session: every other route refuses it, the JSON metrics and the token routes included.
    for (const [method, path] of [
      ['GET', '/api/metrics'],
      ['GET', '/api/events'],
      ['GET', '/api/settings/metrics-token'],
      ['POST', '/api/settings/metrics-token'],
      ['DELETE', '/api/settings/metrics-token'],
      ['GET', '/api/auth/me'],
    ] as const) {
      const res = await fetch(`${url}${path}`, { method, headers: bearer(token) })
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(await res.json()).toMatchObject({ success: false, statusCode: 401, code: 'UNAUTHORIZED' })
    }
    // Device credentials and guards do not open /metrics.
    expect((await scrape({ 'x-device-key': TEST_DEVICE_KEY })).status).toBe(403)
    expect((await scrape(bearer(guard))).status).toBe(403)
    expect((await scrape(bearer(`${token}x`))).status).toBe(401)

    // A new token replaces the old one at once.
    const next = (await issue()).token
    expect((await scrape(bearer(token))).status).toBe(401)
    expect((await scrape(bearer(next))).status).toBe(200)

    const revoked = await fetch(`${url}/api/settings/metrics-token`, {
      method: 'DELETE',
      headers: bearer(admin),
    })
    expect(revoked.status).toBe(200)
    expect(await revoked.json()).toEqual({ success: true, data: { revoked: true } })
    expect((await scrape(bearer(next))).status).toBe(401)
    const again = await fetch(`${url}/api/settings/metrics-token`, {
      method: 'DELETE',
      headers: bearer(admin),
    })
    expect(again.status).toBe(404)
    expect(await again.json()).toMatchObject({ success: false, statusCode: 404, code: 'NOT_FOUND' })

    // An admin session still scrapes.
    expect((await scrape(bearer(admin))).status).toBe(200)
  })

  it('is in the OpenAPI document, /metrics naming the metrics token', async () => {
    const doc = (await st.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[]; responses: object }>>
      components: { securitySchemes: Record<string, unknown> }
    }
    const ops = doc.paths['/api/settings/metrics-token']!
    expect(Object.keys(ops).sort()).toEqual(['delete', 'get', 'post'])
    expect(ops.post!.responses).toHaveProperty('200')
    expect(doc.paths['/metrics']!.get!.security).toEqual([{ bearerAuth: [] }, { metricsToken: [] }])
    expect(doc.components.securitySchemes).toHaveProperty('metricsToken')
  })
})

describe('scraper address allowlist (STATION_METRICS_ALLOW)', () => {
  let st: TestStation
  let url: string

  beforeAll(async () => {
    st = await createTestStation({ STATION_METRICS_ALLOW: '10.9.8.0/24, 127.0.0.1' })
    url = (await st.start()).url
  })
  afterAll(() => st.close())

  it('lets an allowed address scrape /metrics without a credential, and nothing else', async () => {
    const res = await fetch(`${url}/metrics`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('station_queue_pending')
    expect((await fetch(`${url}/api/metrics`)).status).toBe(401)
    expect((await fetch(`${url}/api/events`)).status).toBe(401)
    // A credential that is presented must hold, whatever the address.
    expect((await fetch(`${url}/metrics`, { headers: bearer('not-a-token') })).status).toBe(401)
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Basic eDp5' } })).status).toBe(401)
    expect(
      (await fetch(`${url}/metrics`, { headers: { 'x-device-key': 'wrong-key-0123456789' } })).status,
    ).toBe(401)

    const admin = await st.login()
    const status = await st.app.inject({
      method: 'GET',
      url: '/api/settings/metrics-token',
      headers: bearer(admin),
    })
    expect(status.json().data.allow).toEqual(['10.9.8.0/24', '127.0.0.1/32'])
  })
})
