/**
 * Domain caches in the IoT seed's spirit (devices, latest readings, buzzer statuses): LRU + TTL via
 * lru-cache, with hit/miss counts and a sweep of expired entries every 30 s.
 */
import { LRUCache } from 'lru-cache'
import type { DomainCacheStats } from '../../shared/schemas/metrics'

/** What lru-cache can hold: any non-nullish key or value. */
type Cacheable = string | number | boolean | bigint | symbol | object

export type { DomainCacheStats }

export class DomainCache<K extends Cacheable, V extends Cacheable> {
  private readonly lru: LRUCache<K, V>
  private hits = 0
  private misses = 0

  constructor(
    readonly name: string,
    readonly max: number,
    readonly ttlMs: number,
  ) {
    this.lru = new LRUCache<K, V>({ max, ttl: ttlMs, updateAgeOnGet: false })
  }

  get(key: K): V | undefined {
    const v = this.lru.get(key)
    if (v === undefined) this.misses++
    else this.hits++
    return v
  }

  /** The cached value, without counting a hit or a miss (for updates after a write). */
  peek(key: K): V | undefined {
    return this.lru.peek(key)
  }

  /** Cached value, or `load()` stored when it returns something. */
  getOrLoad(key: K, load: () => V | undefined): V | undefined {
    const cached = this.get(key)
    if (cached !== undefined) return cached
    const v = load()
    if (v !== undefined) this.lru.set(key, v)
    return v
  }

  set(key: K, value: V): void {
    this.lru.set(key, value)
  }

  delete(key: K): void {
    this.lru.delete(key)
  }

  clear(): void {
    this.lru.clear()
  }

  purgeStale(): void {
    this.lru.purgeStale()
  }

  stats(): DomainCacheStats {
    const total = this.hits + this.misses
    return {
      name: this.name,
      size: this.lru.size,
      max: this.max,
      ttlMs: this.ttlMs,
      hits: this.hits,
      misses: this.misses,
      hitRate: total ? this.hits / total : 0,
    }
  }
}

/** Every domain cache registers here: for metrics and the 30 s cleanup. */
export class DomainCacheRegistry {
  private readonly caches: DomainCache<Cacheable, Cacheable>[] = []
  private timer: NodeJS.Timeout | undefined

  create<K extends Cacheable, V extends Cacheable>(
    name: string,
    max: number,
    ttlMs: number,
  ): DomainCache<K, V> {
    const c = new DomainCache<K, V>(name, max, ttlMs)
    this.caches.push(c as unknown as DomainCache<Cacheable, Cacheable>)
    return c
  }

  startCleanup(intervalMs = 30_000): void {
    this.timer ??= setInterval(() => this.caches.forEach((c) => c.purgeStale()), intervalMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  stats(): DomainCacheStats[] {
    return this.caches.map((c) => c.stats())
  }
}
