import { describe, expect, it } from 'vitest'
import { ResponseCache, cacheKey, pathOf } from './response-cache'

const entry = (path: string, body = 'x') => ({
  body,
  contentType: 'application/json',
  cacheControl: 'private, no-store',
  path,
  route: path,
})

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('cacheKey', () => {
  it('joins role, method, path and the sorted query without the token', () => {
    expect(cacheKey('GET', '/api/cameras', 'guard')).toBe('guard GET /api/cameras')
    expect(cacheKey('GET', '/api/cameras?', 'guard')).toBe('guard GET /api/cameras')
    expect(cacheKey('GET', '/api/x?b=2&a=1', 'admin')).toBe(cacheKey('GET', '/api/x?a=1&b=2', 'admin'))
    expect(cacheKey('GET', '/api/x?a=1&token=secret', 'admin')).toBe('admin GET /api/x?a=1')
    expect(cacheKey('GET', '/api/x?token=secret', 'admin')).toBe('admin GET /api/x')
    expect(cacheKey('GET', '/api/x', 'admin')).not.toBe(cacheKey('GET', '/api/x', 'guard'))
  })

  it('refuses percent-encoded paths (they could alias a route past invalidation)', () => {
    expect(cacheKey('GET', '/api/%63ameras/active', 'guard')).toBeUndefined()
    expect(cacheKey('GET', '/api/cameras?name=%41', 'guard')).toBe('guard GET /api/cameras?name=A')
  })

  it('pathOf drops the query', () => {
    expect(pathOf('/api/a?b=1')).toBe('/api/a')
    expect(pathOf('/api/a')).toBe('/api/a')
  })
})

describe('ResponseCache', () => {
  it('counts hits, misses and sets, and reports the hit rate', () => {
    const c = new ResponseCache({ maxEntries: 10, defaultTtlMs: 60_000 })
    expect(c.get('k')).toBeUndefined()
    expect(c.set('k', entry('/api/a', 'body'))).toBe(true)
    expect(c.get('k')?.body).toBe('body')
    expect(c.get('k')?.storedAt).toBeLessThanOrEqual(Date.now())
    const s = c.stats()
    expect(s).toMatchObject({ hits: 2, misses: 1, sets: 1, evictions: 0, size: 1, maxSize: 10 })
    expect(s.hitRate).toBeCloseTo(2 / 3)
  })

  it('evicts the least recently used entry beyond maxEntries and counts it', () => {
    const c = new ResponseCache({ maxEntries: 2, defaultTtlMs: 60_000 })
    c.set('a', entry('/a'))
    c.set('b', entry('/b'))
    c.get('a')
    c.set('c', entry('/c'))
    expect(c.peek('b')).toBeUndefined()
    expect(c.peek('a')).toBeDefined()
    expect(c.stats()).toMatchObject({ evictions: 1, size: 2 })
  })

  it('expires entries after their own TTL', async () => {
    const c = new ResponseCache({ maxEntries: 10, defaultTtlMs: 60_000 })
    c.set('short', entry('/s'), 30)
    c.set('long', entry('/l'))
    await until(() => c.get('short') === undefined)
    expect(c.get('long')).toBeDefined()
  })

  it('invalidates by path prefix and answers how many went', () => {
    const c = new ResponseCache({ maxEntries: 10, defaultTtlMs: 60_000 })
    c.set('1', entry('/api/cameras'))
    c.set('2', entry('/api/cameras/active'))
    c.set('3', entry('/api/cameras/7'))
    c.set('4', entry('/api/areas'))
    expect(c.invalidate('/api/cameras')).toBe(3)
    expect(c.size).toBe(1)
    expect(c.invalidate('/api/cameras')).toBe(0)
    expect(c.clear()).toBe(1)
    expect(c.size).toBe(0)
    expect(c.stats().invalidations).toBe(3)
  })

  it('refuses to store an answer computed before an invalidation of its path', () => {
    const c = new ResponseCache({ maxEntries: 10, defaultTtlMs: 60_000 })
    const gen = c.generation
    c.invalidate('/api/cameras')
    expect(c.set('k', entry('/api/cameras/active'), undefined, gen)).toBe(false)
    expect(c.peek('k')).toBeUndefined()
    // An unrelated invalidation does not block it.
    const gen2 = c.generation
    c.invalidate('/api/events')
    expect(c.set('k', entry('/api/cameras/active'), undefined, gen2)).toBe(true)
    // clear() blocks every store that started before it.
    const gen3 = c.generation
    c.clear()
    expect(c.set('k', entry('/api/areas'), undefined, gen3)).toBe(false)
  })

  it('refuses a late store when the invalidation history no longer reaches back', () => {
    const c = new ResponseCache({ maxEntries: 10, defaultTtlMs: 60_000 })
    const gen = c.generation
    for (let i = 0; i < 200; i++) c.invalidate(`/api/other/${i}`)
    expect(c.set('k', entry('/api/cameras'), undefined, gen)).toBe(false)
    expect(c.set('k', entry('/api/cameras'), undefined, c.generation)).toBe(true)
  })
})
