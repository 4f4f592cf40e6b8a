/** Gathers every figure the station reports into one snapshot (GET /api/metrics, /metrics, live stats). */
import type {
  DeviceSocketStats,
  DomainCacheStats,
  LiveStats,
  LoopDelay,
  MetricsSnapshot,
  PoolStats,
  WriterStats,
  QueueStats,
  ResponseCacheStats,
} from '../../shared/schemas/metrics'
import type { VideoStats } from '../../shared/schemas/video'
import type { RouteMetrics } from './route-metrics'

/** The snapshot's types live in src/shared/schemas/metrics (the UI shows the same figures). */
export type { DeviceSocketStats, LiveStats, MetricsSnapshot }

export interface MetricsSources {
  startedAt: number
  routes: RouteMetrics
  loopDelay: () => LoopDelay
  live: () => LiveStats
  devices: () => DeviceSocketStats | null
  openWebSockets: () => number
  maxWebSockets: number
  responseCache: () => ResponseCacheStats | null
  domainCaches: () => DomainCacheStats[]
  readPool: () => PoolStats
  writer: () => WriterStats
  queues: () => QueueStats[]
  /** Live video: per camera state, rates and viewers (null without the video service). */
  video: () => VideoStats | null
}

export function collectMetrics(src: MetricsSources, opts: { routes?: boolean } = {}): MetricsSnapshot {
  const m = process.memoryUsage()
  const now = Date.now()
  return {
    serverTime: now,
    uptimeSeconds: Math.round((now - src.startedAt) / 1000),
    memory: {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    },
    eventLoopDelay: src.loopDelay(),
    websockets: {
      open: src.openWebSockets(),
      max: src.maxWebSockets,
      live: src.live(),
      devices: src.devices(),
    },
    http: { requests: src.routes.requests, routes: opts.routes === false ? [] : src.routes.snapshot() },
    responseCache: src.responseCache() ?? null,
    domainCaches: src.domainCaches(),
    readPool: src.readPool(),
    writer: src.writer(),
    queues: src.queues(),
    video: src.video(),
  }
}
