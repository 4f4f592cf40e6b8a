/** Gathers every figure the station reports into one snapshot (GET /api/metrics, /metrics, live stats). */
import type { DomainCacheStats } from '../cache/domain-cache'
import type { PoolStats } from '../database/read-pool'
import type { QueueStats } from '../queues/group-commit-queue'
import type { LoopDelay } from './event-loop'
import type { RouteMetrics, RouteSnapshot } from './route-metrics'
import type { VideoStats } from '../video/video-stats'

export interface LiveStats {
  subscribers: number
  published: number
  dropped: number
  slowDisconnects: number
  [k: string]: number
}

export interface DeviceSocketStats {
  known: number
  online: number
  connected: number
}

export interface MetricsSources {
  startedAt: number
  routes: RouteMetrics
  loopDelay: () => LoopDelay
  live: () => LiveStats
  devices: () => DeviceSocketStats | null
  openWebSockets: () => number
  maxWebSockets: number
  responseCache: () => unknown
  domainCaches: () => DomainCacheStats[]
  readPool: () => PoolStats
  queues: () => QueueStats[]
  /** Live video: per camera state, rates and viewers (null without the video service). */
  video: () => VideoStats | null
}

export interface MetricsSnapshot {
  serverTime: number
  uptimeSeconds: number
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
  eventLoopDelay: LoopDelay
  websockets: { open: number; max: number; live: LiveStats; devices: DeviceSocketStats | null }
  http: { requests: number; routes: RouteSnapshot[] }
  responseCache: unknown
  domainCaches: DomainCacheStats[]
  readPool: PoolStats
  queues: QueueStats[]
  video: VideoStats | null
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
    queues: src.queues(),
    video: src.video(),
  }
}
