/**
 * The API response cache: serialized 200 answers of routes that opt in, in an LRU with a TTL per route.
 *
 * Key = method + path + sorted query (without `token`) + the caller's role, so answers that differ by
 * role never cross. Writes invalidate by path prefix at once; a request that started before an
 * invalidation touching its path never stores its (possibly stale) answer afterwards.
 */
import { LRUCache } from 'lru-cache'
import type { EncodedBodies } from './encoded-body'
import type { ResponseCacheStats } from '../../shared/schemas/metrics'

export interface CachedResponse {
  body: string | Buffer
  contentType: string
  /** The Cache-Control the miss answered with. */
  cacheControl: string
  /** The body as bytes, and its compressed variants once a client asked for them. */
  encoded: EncodedBodies
  /** Date.now() when stored, for X-Cache-Age. */
  storedAt: number
  /** The request path (no query): what invalidation prefixes match. */
  path: string
  /** The route pattern that answered (for route metrics when a hit skips the router). */
  route: string
}

export type { ResponseCacheStats }

export interface ResponseCacheOptions {
  maxEntries: number
  defaultTtlMs: number
}

/** How many recent invalidations are remembered to refuse late stores; older in-flight misses just skip storing. */
const RECENT_INVALIDATIONS = 64

/**
 * The cache key of a request, or undefined when it should not be cached (percent-encoded paths could
 * alias a route under a path that invalidation prefixes would not match).
 */
export function cacheKey(method: string, url: string, role: string): string | undefined {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (path.includes('%')) return undefined
  if (q === -1 || q === url.length - 1) return `${role} ${method} ${path}`
  const params = new URLSearchParams(url.slice(q + 1))
  params.delete('token')
  params.sort()
  const query = params.toString()
  return query ? `${role} ${method} ${path}?${query}` : `${role} ${method} ${path}`
}

/** The path part of a URL (what invalidation matches). */
export function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

export class ResponseCache {
  private readonly lru: LRUCache<string, CachedResponse>
  readonly maxEntries: number
  readonly defaultTtlMs: number
  private hits = 0
  private misses = 0
  private sets = 0
  private evictions = 0
  private invalidations = 0
  /** Bumped by every invalidation; requests remember it when they miss. */
  private gen = 0
  private readonly recent: { gen: number; prefix: string }[] = []

  constructor(opts: ResponseCacheOptions) {
    this.maxEntries = opts.maxEntries
    this.defaultTtlMs = opts.defaultTtlMs
    this.lru = new LRUCache<string, CachedResponse>({
      max: opts.maxEntries,
      ttl: opts.defaultTtlMs,
      updateAgeOnGet: false,
      dispose: (_v, _k, reason) => {
        if (reason === 'evict') this.evictions++
      },
    })
  }

  /** The invalidation generation: pass it back to `set` so a store racing an invalidation is refused. */
  get generation(): number {
    return this.gen
  }

  /** The stored answer (counted as a hit), or undefined (counted as a miss). */
  get(key: string): CachedResponse | undefined {
    const v = this.lru.get(key)
    if (v === undefined) this.misses++
    else this.hits++
    return v
  }

  /**
   * The stored answer counted as a hit, or undefined counting nothing: for a first look whose miss
   * will be counted by the regular path that handles it next.
   */
  getIfPresent(key: string): CachedResponse | undefined {
    const v = this.lru.get(key)
    if (v !== undefined) this.hits++
    return v
  }

  /** Peeks without counting or refreshing recency (for tests and tools). */
  peek(key: string): CachedResponse | undefined {
    return this.lru.peek(key)
  }

  /**
   * Stores an answer. `sinceGen` is the generation when the request started: if an invalidation that
   * matches `path` happened since, the answer may predate a write and is not stored (returns false).
   */
  set(
    key: string,
    entry: Omit<CachedResponse, 'storedAt' | 'encoded'>,
    ttlMs = this.defaultTtlMs,
    sinceGen = this.gen,
  ): boolean {
    if (sinceGen !== this.gen && this.invalidatedSince(sinceGen, entry.path)) return false
    const encoded = { identity: Buffer.isBuffer(entry.body) ? entry.body : Buffer.from(entry.body) }
    this.lru.set(key, { ...entry, encoded, storedAt: Date.now() }, { ttl: ttlMs })
    this.sets++
    return true
  }

  private invalidatedSince(sinceGen: number, path: string): boolean {
    const oldest = this.recent[0]
    // The history does not reach back that far: be safe.
    if (!oldest || oldest.gen > sinceGen + 1) return true
    for (const inv of this.recent) {
      if (inv.gen > sinceGen && path.startsWith(inv.prefix)) return true
    }
    return false
  }

  private remember(prefix: string): void {
    this.gen++
    this.recent.push({ gen: this.gen, prefix })
    if (this.recent.length > RECENT_INVALIDATIONS) this.recent.shift()
  }

  /** Drops every entry whose path starts with `prefix`; returns how many went. */
  invalidate(prefix: string): number {
    this.remember(prefix)
    this.invalidations++
    const doomed: string[] = []
    for (const [key, v] of this.lru.entries()) if (v.path.startsWith(prefix)) doomed.push(key)
    for (const key of doomed) this.lru.delete(key)
    return doomed.length
  }

  /** Drops everything; returns how many entries went. */
  clear(): number {
    this.remember('')
    this.invalidations++
    const n = this.lru.size
    this.lru.clear()
    return n
  }

  get size(): number {
    return this.lru.size
  }

  stats(): ResponseCacheStats {
    const total = this.hits + this.misses
    return {
      hits: this.hits,
      misses: this.misses,
      sets: this.sets,
      evictions: this.evictions,
      invalidations: this.invalidations,
      size: this.lru.size,
      maxSize: this.maxEntries,
      hitRate: total ? this.hits / total : 0,
      defaultTtlMs: this.defaultTtlMs,
    }
  }
}
