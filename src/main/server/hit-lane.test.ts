import { brotliDecompressSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECURITY_HEADERS } from './security-headers'
import { createTestStation, type TestStation } from './test-helper'
import { HitLane } from './hit-lane'

/** The hit lane over a real socket: what it answers, and everything it must leave to Fastify. */
describe('hit lane (cache hits answered before Fastify)', () => {
  let st: TestStation
  let url: string
  let admin: string
  let guard: string
  beforeAll(async () => {
    st = await createTestStation()
    url = (await st.start()).url
    admin = await st.login()
    guard = await st.guardToken()
  })
  afterAll(() => st.close())

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(url + path, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } })

  it('answers a repeated GET from the cache with the headers and bytes of the Fastify path', async () => {
    st.app.responseCache.clear()
    const before = st.app.hitLane.hits
    const miss = await get('/api/cameras/active', admin)
    expect(miss.headers.get('x-cache')).toBe('MISS')
    const missBody = await miss.text()
    const hit = await get('/api/cameras/active', admin)
    expect(hit.status).toBe(200)
    expect(st.app.hitLane.hits).toBe(before + 1)
    expect(await hit.text()).toBe(missBody)
    // The same hit answered inside Fastify (inject never reaches the HTTP server) carries the same headers.
    const injected = await st.app.inject({
      method: 'GET',
      url: '/api/cameras/active',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(injected.headers['x-cache']).toBe('HIT')
    // The HTTP server's own headers (the security headers are set there for every answer on a socket).
    const own = ['date', 'connection', 'keep-alive', 'transfer-encoding', ...Object.keys(SECURITY_HEADERS)]
    for (const name of Object.keys(SECURITY_HEADERS)) {
      expect(hit.headers.get(name)).toBe(miss.headers.get(name))
      expect(hit.headers.get(name)).toBe(SECURITY_HEADERS[name])
    }
    const names = (h: Iterable<string>) => [...h].filter((n) => !own.includes(n)).sort()
    expect(names(hit.headers.keys())).toEqual(names(Object.keys(injected.headers)))
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expect(hit.headers.get('x-cache-age')).toBe('0')
    expect(hit.headers.get('cache-control')).toBe(miss.headers.get('cache-control'))
    expect(Number(hit.headers.get('x-response-time'))).toBeGreaterThanOrEqual(0)
  })

  it('counts lane hits in the cache stats and the route metrics', async () => {
    st.app.responseCache.clear()
    await get('/api/cameras/active', admin)
    const stats = st.app.responseCache.stats()
    const route = () =>
      st.app.metrics
        .snapshot()
        .http.routes.find((r) => r.method === 'GET' && r.route === '/api/cameras/active')
    const count = route()?.count ?? 0
    for (let i = 0; i < 3; i++)
      expect((await get('/api/cameras/active', admin)).headers.get('x-cache')).toBe('HIT')
    const after = st.app.responseCache.stats()
    expect(after.hits).toBe(stats.hits + 3)
    expect(after.misses).toBe(stats.misses)
    expect(route()?.count).toBe(count + 3)
  })

  it('never answers without a valid session: no token, a bad token, a signed-out token', async () => {
    await get('/api/cameras/active', admin)
    expect((await get('/api/cameras/active')).status).toBe(401)
    expect((await get('/api/cameras/active', 'not-a-session')).status).toBe(401)
    const token = await st.login()
    await get('/api/cameras/active', token)
    expect((await get('/api/cameras/active', token)).headers.get('x-cache')).toBe('HIT')
    const out = await fetch(`${url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(out.status).toBe(200)
    expect((await get('/api/cameras/active', token)).status).toBe(401)
  })

  it("never hands one role's answer to another: a guard asking an admin-only cached route is refused", async () => {
    st.app.responseCache.clear()
    const forAdmin = await get('/api/users', admin)
    expect(forAdmin.status).toBe(200)
    expect((await get('/api/users', admin)).headers.get('x-cache')).toBe('HIT')
    const forGuard = await get('/api/users', guard)
    expect(forGuard.status).toBe(403)
    expect(((await forGuard.json()) as { success: boolean }).success).toBe(false)
  })

  it('leaves device credentials to the auth plugin (a wrong site key is refused even with a session)', async () => {
    await get('/api/cameras/active', admin)
    const res = await get('/api/cameras/active', admin, { 'x-device-key': 'wrong-key' })
    expect(res.status).toBe(401)
  })

  it('serves the compressed variant a client asks for, and the fresh list after a write', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: { authorization: `Bearer ${admin}` },
        payload: {
          name: `Lane camera ${i} ${'x'.repeat(40)}`,
          kind: 'mjpeg',
          url: `http://10.0.0.${i + 1}/v.mjpg`,
        },
      })
      expect(res.statusCode).toBe(201)
    }
    const miss = await get('/api/cameras/active', admin)
    expect(miss.headers.get('x-cache')).toBe('MISS')
    const plain = await miss.text()
    expect(plain.length).toBeGreaterThan(1024)
    // Raw bytes: fetch would decode them itself.
    const { request } = await import('node:http')
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(
        `${url}/api/cameras/active`,
        { headers: { authorization: `Bearer ${admin}`, 'accept-encoding': 'br' } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(raw.headers['x-cache']).toBe('HIT')
    expect(raw.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(raw.body).toString()).toBe(plain)

    const del = await st.app.inject({
      method: 'DELETE',
      url: `/api/cameras/${(JSON.parse(plain) as { data: { id: number }[] }).data[0]!.id}`,
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(del.statusCode).toBeLessThan(300)
    const after = await get('/api/cameras/active', admin)
    expect(after.headers.get('x-cache')).toBe('MISS')
    const { data } = (await after.json()) as { data: unknown[] }
    expect(data).toHaveLength((JSON.parse(plain) as { data: unknown[] }).data.length - 1)
  })

  it('answers nothing once detached (a closing station leaves every request to Fastify)', () => {
    const lane = new HitLane()
    const req = { method: 'GET', url: '/api/cameras/active', headers: { authorization: `Bearer ${admin}` } }
    expect(lane.tryServe(req as never, {} as never)).toBe(false)
    lane.attach({
      cache: st.app.responseCache,
      resolveSession: () => null,
      record: () => {},
      log: st.app.log,
    })
    expect(lane.tryServe(req as never, {} as never)).toBe(false)
    lane.detach()
    expect(lane.hits).toBe(0)
  })
})
