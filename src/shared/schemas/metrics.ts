/**
 * The station's figures, shared by the station (which produces them and declares its routes' answers
 * with these schemas) and the UI (which shows them): response and domain caches, the read pool, the
 * write queues, live WebSockets, event-loop delay, routes, and the whole `GET /api/metrics` snapshot.
 * One source: the station's modules import their stats types from here.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common'
import { VideoStatsSchema } from './video'

const N = Type.Number()
const Int = Type.Integer()
/** Objects the station may grow: extra figures pass through to the answer. */
const Open = { additionalProperties: true }

/** A latency summary (milliseconds; percentiles interpolated within histogram buckets). */
export const HistogramSummarySchema = Type.Object({
  count: Int,
  meanMs: N,
  p50Ms: N,
  p95Ms: N,
  p99Ms: N,
  maxMs: N,
})
export type HistogramSummary = Static<typeof HistogramSummarySchema>

/** Event-loop delay over a rolling window. */
export const LoopDelaySchema = Type.Object({
  p50Ms: N,
  p99Ms: N,
  maxMs: N,
  meanMs: N,
  /** Samples behind these figures (one per `resolution` ms of loop time). */
  samples: N,
  windowSeconds: N,
})
export type LoopDelay = Static<typeof LoopDelaySchema>

/** Response times and status classes of one route (method + route pattern). */
export const RouteStatsSchema = Type.Object({
  method: Type.String(),
  route: Type.String(),
  byClass: Type.Object({ '2xx': N, '3xx': N, '4xx': N, '5xx': N }),
  ...HistogramSummarySchema.properties,
})
export type RouteStats = Static<typeof RouteStatsSchema>

/** One domain cache (devices, latest readings, buzzer statuses): LRU + TTL. */
export const DomainCacheStatsSchema = Type.Object({
  name: Type.String(),
  size: Int,
  max: Int,
  ttlMs: Int,
  hits: Int,
  misses: Int,
  hitRate: N,
})
export type DomainCacheStats = Static<typeof DomainCacheStatsSchema>

/** The API response cache. */
export const ResponseCacheStatsSchema = Type.Object({
  hits: Int,
  misses: Int,
  sets: Int,
  evictions: Int,
  invalidations: Int,
  size: Int,
  maxSize: Int,
  /** 0..1 */
  hitRate: N,
  defaultTtlMs: Int,
})
export type ResponseCacheStats = Static<typeof ResponseCacheStatsSchema>

/** `GET /api/cache/stats`: the response cache with the domain caches. */
export const CacheStatsSchema = Type.Object({
  ...ResponseCacheStatsSchema.properties,
  domain: Type.Array(DomainCacheStatsSchema),
})
export type CacheStats = Static<typeof CacheStatsSchema>

/** The worker read pool (inline on the writer connection with an in-memory database). */
export const PoolStatsSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('workers'), Type.Literal('inline')]),
    size: N,
    inUse: N,
    available: N,
    queued: N,
    readsServed: N,
    /** Reads that failed: SQLite refused them, they timed out, or their worker died. */
    readsFailed: N,
    /** Reads that ran past the read timeout (their worker was stopped and replaced). */
    readsTimedOut: N,
    /** Read workers started again after one died or was stopped. */
    restarts: N,
    avgQueueWaitMs: N,
    maxQueueWaitMs: N,
    avgQueryMs: N,
    maxQueryMs: N,
  },
  Open,
)
export type PoolStats = Static<typeof PoolStatsSchema>

/** The writer thread that commits the hot write queues (or the main connection, inline). */
export const WriterStatsSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('worker'), Type.Literal('inline')]),
    /** Operations committed, and failed (rolled back, or lost with a crashed writer thread). */
    ops: N,
    failed: N,
    /** Operations sent and not yet answered. */
    inFlight: N,
    /** Time inside the operation, on the writer (transaction and commit). */
    avgOpMs: N,
    maxOpMs: N,
    /** From sending the operation to its answer on the main thread (waiting for the writer included). */
    avgRoundTripMs: N,
    maxRoundTripMs: N,
    /** Times the writer thread was started again after it died. */
    restarts: N,
  },
  Open,
)
export type WriterStats = Static<typeof WriterStatsSchema>

/** One group-commit write queue. */
export const QueueStatsSchema = Type.Object(
  {
    name: Type.String(),
    /** Items not yet committed: waiting, plus those in the flush in flight. */
    pending: N,
    /** Items in the flush in flight (asynchronous commits only). */
    inFlight: N,
    maxPending: N,
    maxWaitMs: N,
    batchSize: N,
    enqueued: N,
    committed: N,
    flushes: N,
    rejectedFull: N,
    failedGroups: N,
    lastBatchItems: N,
    maxBatchItems: N,
    lastFlushMs: N,
    avgFlushMs: N,
    maxFlushMs: N,
    /** Longest time a committed item waited in the queue before its flush started, in the last flush. */
    lastWaitMs: N,
  },
  Open,
)
export type QueueStats = Static<typeof QueueStatsSchema>

/** The `/ws/live` hub. */
export const LiveStatsSchema = Type.Object(
  {
    subscribers: N,
    admins: N,
    published: N,
    dropped: N,
    slowDisconnects: N,
    deadDisconnects: N,
    resyncs: N,
    bufferedBytes: N,
  },
  { additionalProperties: N },
)
export type LiveStats = Static<typeof LiveStatsSchema>

/** Device WebSockets: devices known, online, and connected now. */
export const DeviceSocketStatsSchema = Type.Object({ known: N, online: N, connected: N }, Open)
export type DeviceSocketStats = Static<typeof DeviceSocketStatsSchema>

export const MemoryStatsSchema = Type.Object({
  rss: N,
  heapUsed: N,
  heapTotal: N,
  external: N,
  arrayBuffers: N,
})

/** `GET /api/metrics` (admin), also pushed to admins live as `stats`. */
export const MetricsSnapshotSchema = Type.Object({
  serverTime: Int,
  uptimeSeconds: N,
  memory: MemoryStatsSchema,
  eventLoopDelay: LoopDelaySchema,
  websockets: Type.Object({
    open: Int,
    max: Int,
    live: LiveStatsSchema,
    devices: Nullable(DeviceSocketStatsSchema),
  }),
  /** `routes` is empty in the live `stats` pushes (the route table is asked for). */
  http: Type.Object({ requests: Int, routes: Type.Array(RouteStatsSchema) }),
  /** Null without a response cache. */
  responseCache: Nullable(ResponseCacheStatsSchema),
  domainCaches: Type.Array(DomainCacheStatsSchema),
  readPool: PoolStatsSchema,
  writer: WriterStatsSchema,
  queues: Type.Array(QueueStatsSchema),
  /** Live video: per camera state, rates and viewers (null without the video service). */
  video: Nullable(VideoStatsSchema),
})
export type MetricsSnapshot = Static<typeof MetricsSnapshotSchema>

/** `GET /metrics`: the same figures in the Prometheus text format. */
export const PrometheusText = Type.String({ description: 'Prometheus text exposition format 0.0.4' })
