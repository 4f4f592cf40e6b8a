import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../test-helper'
import { INVALIDATES } from './response-cache'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function until(cond: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('API response cache', () => {
  let st: TestStation
  let admin: string
  let guard: string
  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    guard = await st.guardToken()
  })
  afterAll(() => st.close())

  const get = (url: string, token = admin) => st.app.inject({ method: 'GET', url, headers: bearer(token) })
  const names = (res: { json(): { data: { name: string }[] } }) =>
    res
      .json()
      .data.map((c) => c.name)
      .sort()

  it('answers a miss from the handler and the next request from the cache, with its age', async () => {
    st.app.responseCache.clear()
    const miss = await get('/api/cameras/active')
    expect(miss.statusCode).toBe(200)
    expect(miss.headers['x-cache']).toBe('MISS')
    expect(miss.headers['x-cache-age']).toBeUndefined()
    const hit = await get('/api/cameras/active')
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.headers['x-cache-age']).toBe('0')
    expect(hit.headers['content-type']).toBe(miss.headers['content-type'])
    expect(hit.body).toBe(miss.body)
    // The age grows in whole seconds.
    await until(async () => Number((await get('/api/cameras/active')).headers['x-cache-age']) >= 1)
  })

  it('never serves a stale list after an acknowledged camera write', async () => {
    const warm = async () => {
      await get('/api/cameras/active')
      expect((await get('/api/cameras/active')).headers['x-cache']).toBe('HIT')
      await get('/api/cameras')
      await get('/api/stream', guard)
    }
    await warm()
    const created = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: bearer(admin),
      payload: { name: 'Fresh cam', kind: 'mjpeg', url: 'http://10.1.1.1/v' },
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().data.id
    const afterCreate = await get('/api/cameras/active')
    expect(afterCreate.headers['x-cache']).toBe('MISS')
    expect(names(afterCreate)).toContain('Fresh cam')
    expect(names(await get('/api/cameras'))).toContain('Fresh cam')
    expect(
      (await get('/api/stream', guard)).json().data.map((e: { cameraId: number }) => e.cameraId),
    ).toContain(id)

    await warm()
    await get(`/api/cameras/${id}`)
    const updated = await st.app.inject({
      method: 'PUT',
      url: `/api/cameras/${id}`,
      headers: bearer(admin),
      payload: { name: 'Renamed cam' },
    })
    expect(updated.statusCode).toBe(200)
    expect(names(await get('/api/cameras/active'))).toContain('Renamed cam')
    expect((await get(`/api/cameras/${id}`)).json().data.name).toBe('Renamed cam')

    // Disabling removes it from the active list at once.
    await warm()
    await st.app.inject({
      method: 'PUT',
      url: `/api/cameras/${id}`,
      headers: bearer(admin),
      payload: { enabled: false },
    })
    expect(names(await get('/api/cameras/active'))).not.toContain('Renamed cam')
    expect(
      (await get('/api/stream', guard)).json().data.map((e: { cameraId: number }) => e.cameraId),
    ).not.toContain(id)

    await warm()
    const del = await st.app.inject({ method: 'DELETE', url: `/api/cameras/${id}`, headers: bearer(admin) })
    expect(del.statusCode).toBe(200)
    expect(names(await get('/api/cameras'))).not.toContain('Renamed cam')
    expect((await get(`/api/cameras/${id}`)).statusCode).toBe(404)
  })

  it('reads its own writes in a tight loop', async () => {
    for (let i = 0; i < 10; i++) {
      await get('/api/cameras/active')
      await get('/api/cameras/active')
      await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: bearer(admin),
        payload: { name: `Loop ${i}`, kind: 'push' },
      })
      expect(names(await get('/api/cameras/active'))).toContain(`Loop ${i}`)
    }
  })

  it('keeps answers apart by role, and ignores the token parameter and query order', async () => {
    st.app.responseCache.clear()
    expect((await get('/api/cameras', admin)).headers['x-cache']).toBe('MISS')
    expect((await get('/api/cameras', guard)).headers['x-cache']).toBe('MISS')
    expect((await get('/api/cameras', guard)).headers['x-cache']).toBe('HIT')
    expect((await get('/api/cameras', admin)).headers['x-cache']).toBe('HIT')
    // A session token in the query string is refused on API routes (only /ws/live takes one there).
    const viaQuery = await st.app.inject({ method: 'GET', url: `/api/cameras?token=${guard}` })
    expect(viaQuery.statusCode).toBe(401)
    // The token parameter never splits cache entries.
    expect((await get(`/api/cameras?token=whatever`, guard)).headers['x-cache']).toBe('HIT')
    expect((await get('/api/areas?b=2&a=1')).headers['x-cache']).toBe('MISS')
    expect((await get('/api/areas?a=1&b=2')).headers['x-cache']).toBe('HIT')
  })

  it('does not cache errors or other routes', async () => {
    expect((await get('/api/cameras/99999')).statusCode).toBe(404)
    const again = await get('/api/cameras/99999')
    expect(again.statusCode).toBe(404)
    expect(again.headers['x-cache']).toBe('MISS')
    expect((await get('/api/auth/me')).headers['x-cache']).toBeUndefined()
    // Unauthenticated requests never reach the cache.
    const anon = await st.app.inject({ method: 'GET', url: '/api/cameras/active' })
    expect(anon.statusCode).toBe(401)
    expect(anon.headers['x-cache']).toBeUndefined()
  })

  it('invalidates the paths each table feeds', async () => {
    st.app.responseCache.clear()
    await get('/api/areas')
    await get('/api/users')
    expect((await get('/api/users')).headers['x-cache']).toBe('HIT')
    await st.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: bearer(admin),
      payload: { name: 'Gatehouse' },
    })
    const areas = await get('/api/areas')
    expect(areas.headers['x-cache']).toBe('MISS')
    expect(names(areas)).toContain('Gatehouse')
    expect((await get('/api/users')).headers['x-cache']).toBe('HIT')
    st.app.domainEvents.publish({ type: 'user.changed', userId: 1, change: 'updated' })
    expect((await get('/api/users')).headers['x-cache']).toBe('MISS')
    expect(INVALIDATES.cameras).toEqual(expect.arrayContaining(['/api/cameras', '/api/stream']))
    expect(INVALIDATES.areas).toContain('/api/cameras')
  })

  it('offers stats, invalidation and clearing to admins only', async () => {
    st.app.responseCache.clear()
    await get('/api/cameras')
    await get('/api/cameras')
    await get('/api/cameras/active')
    await get('/api/areas')

    const stats = await get('/api/cache/stats')
    expect(stats.statusCode).toBe(200)
    const s = stats.json().data
    expect(s).toMatchObject({ size: 3, maxSize: st.config.cache.maxEntries })
    for (const k of ['hits', 'misses', 'sets', 'evictions', 'hitRate']) expect(typeof s[k]).toBe('number')
    expect(s.hits).toBeGreaterThan(0)
    expect(Array.isArray(s.domain)).toBe(true)
    expect(stats.headers['x-cache']).toBeUndefined()

    for (const [method, url] of [
      ['GET', '/api/cache/stats'],
      ['POST', '/api/cache/invalidate'],
      ['POST', '/api/cache/clear'],
    ] as const) {
      const res = await st.app.inject({ method, url, headers: bearer(guard), payload: { pattern: '/api' } })
      expect(res.statusCode).toBe(403)
    }

    const inv = await st.app.inject({
      method: 'POST',
      url: '/api/cache/invalidate',
      headers: bearer(admin),
      payload: { pattern: '/api/cameras' },
    })
    expect(inv.statusCode).toBe(200)
    expect(inv.json().data.count).toBe(2)
    expect(inv.json().data.message).toMatch(/2 cached answers/)
    expect((await get('/api/cameras')).headers['x-cache']).toBe('MISS')
    const star = await st.app.inject({
      method: 'POST',
      url: '/api/cache/invalidate',
      headers: bearer(admin),
      payload: { pattern: '/api/ar*' },
    })
    expect(star.json().data.count).toBe(1)
    expect(
      (
        await st.app.inject({
          method: 'POST',
          url: '/api/cache/invalidate',
          headers: bearer(admin),
          payload: {},
        })
      ).statusCode,
    ).toBe(400)

    const clear = await st.app.inject({ method: 'POST', url: '/api/cache/clear', headers: bearer(admin) })
    expect(clear.statusCode).toBe(200)
    expect(clear.json().data.count).toBe(1)
    expect((await get('/api/cache/stats')).json().data.size).toBe(0)
  })
})

describe('API response cache bounds', () => {
  it('holds at most STATION_CACHE_MAX entries and counts evictions', async () => {
    const st = await createTestStation({ STATION_CACHE_MAX: '2' })
    try {
      const token = await st.login()
      for (const url of ['/api/cameras', '/api/areas', '/api/stream', '/api/users']) {
        await st.app.inject({ method: 'GET', url, headers: bearer(token) })
      }
      const s = st.app.responseCache.stats()
      expect(s.size).toBe(2)
      expect(s.evictions).toBe(2)
    } finally {
      await st.close()
    }
  })
})

describe('API response cache over a real socket', () => {
  it('answers hits with the same bytes and headers a miss had', async () => {
    const st = await createTestStation()
    try {
      const token = await st.login()
      await st.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: bearer(token),
        payload: { name: 'Socket cam', kind: 'mjpeg', url: 'http://10.2.2.2/v' },
      })
      const { url } = await st.start()
      const fetchActive = () => fetch(`${url}/api/cameras/active`, { headers: bearer(token) })
      const miss = await fetchActive()
      const missBody = await miss.text()
      expect(miss.status).toBe(200)
      expect(miss.headers.get('x-cache')).toBe('MISS')
      const hit = await fetchActive()
      expect(hit.status).toBe(200)
      expect(hit.headers.get('x-cache')).toBe('HIT')
      expect(hit.headers.get('x-cache-age')).toMatch(/^\d+$/)
      expect(hit.headers.get('content-type')).toBe(miss.headers.get('content-type'))
      expect(hit.headers.get('cache-control')).toBe('private, no-store')
      expect(hit.headers.get('content-length')).toBe(String(Buffer.byteLength(missBody)))
      expect(await hit.text()).toBe(missBody)
      expect(JSON.parse(missBody).data[0].name).toBe('Socket cam')
      expect(hit.headers.get('x-response-time')).toMatch(/^\d+\.\d\d$/)
    } finally {
      await st.close()
    }
  })

  it('answers compressed hits with the bytes a compressed miss had, compressing once per entry', async () => {
    const st = await createTestStation()
    try {
      const token = await st.login()
      for (let i = 0; i < 12; i++) {
        await st.app.inject({
          method: 'POST',
          url: '/api/cameras',
          headers: bearer(token),
          payload: {
            name: `Compressed cam ${i} with a long enough name`,
            kind: 'mjpeg',
            url: `http://10.2.3.${i}/v`,
          },
        })
      }
      const get = (encoding: string) =>
        st.app.inject({
          method: 'GET',
          url: '/api/cameras/active',
          headers: { ...bearer(token), 'accept-encoding': encoding },
        })
      const miss = await get('gzip')
      expect(miss.headers['x-cache']).toBe('MISS')
      expect(miss.headers['content-encoding']).toBe('gzip')
      const plain = gunzipSync(miss.rawPayload).toString()
      for (const encoding of ['gzip', 'br', 'identity']) {
        const hit = await get(encoding)
        expect(hit.headers['x-cache']).toBe('HIT')
        expect(hit.headers.vary).toMatch(/accept-encoding/i)
        const body =
          encoding === 'gzip'
            ? gunzipSync(hit.rawPayload)
            : encoding === 'br'
              ? brotliDecompressSync(hit.rawPayload)
              : hit.rawPayload
        expect(hit.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding)
        expect(body.toString()).toBe(plain)
      }
      expect(st.app.responseCache.peek('admin GET /api/cameras/active')?.encoded.gzip).toBeDefined()
    } finally {
      await st.close()
    }
  })
})
