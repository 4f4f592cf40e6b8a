/**
 * Statistics for admins: the metrics snapshot (polled, and pushed live every few seconds), the response
 * cache with its management actions, and a bounded history for the charts (outside React state).
 */
import type { CacheRemoved, CacheStats, MetricsSnapshot } from '../../../shared/contract'
import { NO_ARGS } from '../transport/types'
import { attempt, type ActionResult } from './result'
import { errorMessage, type Slice, type StoreDeps } from './types'

export interface StatsData {
  metrics: MetricsSnapshot | null
  cacheStats: CacheStats | null
  statsError: string | null
}

export interface StatsSlice extends StatsData {
  loadMetrics(): Promise<void>
  applyStats(stats: Record<string, unknown>): void
  invalidateCache(pattern: string): Promise<ActionResult<CacheRemoved>>
  clearCache(): Promise<ActionResult<CacheRemoved>>
}

export const STATS_INITIAL: StatsData = { metrics: null, cacheStats: null, statsError: null }

function looksLikeMetrics(s: Record<string, unknown>): s is MetricsSnapshot {
  return typeof s.serverTime === 'number' && typeof s.memory === 'object' && Array.isArray(s.queues)
}

export const createStatsSlice =
  (deps: StoreDeps): Slice<StatsSlice> =>
  (set, get) => ({
    ...STATS_INITIAL,

    async loadMetrics() {
      try {
        const [metrics, cacheStats] = await Promise.all([
          deps.transport.request('metrics:get', NO_ARGS),
          deps.transport.request('cache:stats', NO_ARGS),
        ])
        deps.series.push(metrics)
        set({ metrics, cacheStats, statsError: null })
      } catch (err) {
        set({ statsError: errorMessage(err) })
      }
    },

    applyStats(stats) {
      if (!looksLikeMetrics(stats)) return
      deps.series.push(stats)
      const prev = get().cacheStats
      const rc = stats.responseCache
      set({
        metrics: { ...stats, http: get().metrics?.http ?? stats.http },
        cacheStats: rc ? { ...rc, domain: stats.domainCaches } : prev,
      })
    },

    async invalidateCache(pattern) {
      const res = await attempt(() => deps.transport.request('cache:invalidate', { pattern }))
      if (res.ok) void get().loadMetrics()
      return res
    },

    async clearCache() {
      const res = await attempt(() => deps.transport.request('cache:clear', NO_ARGS))
      if (res.ok) void get().loadMetrics()
      return res
    },
  })
