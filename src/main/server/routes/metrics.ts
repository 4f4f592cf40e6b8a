/** `GET /api/metrics` (JSON) and `GET /metrics` (Prometheus text): admins only; a bearer token suits scrapers. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Nullable, Ok } from '../../../shared/schemas/common'
import { PROMETHEUS_CONTENT_TYPE } from '../../metrics/prometheus'
import { VideoStatsSchema } from '../../video/video-schemas'

const N = Type.Number()
const Open = { additionalProperties: true }

const Histogram = {
  count: Type.Integer(),
  meanMs: N,
  p50Ms: N,
  p95Ms: N,
  p99Ms: N,
  maxMs: N,
}

export const MetricsSnapshotSchema = Type.Object({
  serverTime: Type.Integer(),
  uptimeSeconds: N,
  memory: Type.Object({ rss: N, heapUsed: N, heapTotal: N, external: N, arrayBuffers: N }),
  eventLoopDelay: Type.Object({ p50Ms: N, p99Ms: N, maxMs: N, meanMs: N, samples: N, windowSeconds: N }),
  websockets: Type.Object({
    open: Type.Integer(),
    max: Type.Integer(),
    live: Type.Record(Type.String(), N),
    devices: Nullable(Type.Object({ known: N, online: N, connected: N }, Open)),
  }),
  http: Type.Object({
    requests: Type.Integer(),
    routes: Type.Array(
      Type.Object({
        method: Type.String(),
        route: Type.String(),
        byClass: Type.Object({ '2xx': N, '3xx': N, '4xx': N, '5xx': N }),
        ...Histogram,
      }),
    ),
  }),
  responseCache: Type.Unknown({ description: 'the response cache statistics, or null without one' }),
  domainCaches: Type.Array(
    Type.Object({
      name: Type.String(),
      size: N,
      max: N,
      ttlMs: N,
      hits: N,
      misses: N,
      hitRate: N,
    }),
  ),
  readPool: Type.Object(
    {
      mode: Type.String(),
      size: N,
      inUse: N,
      available: N,
      queued: N,
      readsServed: N,
      readsFailed: N,
      avgQueueWaitMs: N,
      maxQueueWaitMs: N,
      avgQueryMs: N,
      maxQueryMs: N,
    },
    Open,
  ),
  queues: Type.Array(
    Type.Object(
      {
        name: Type.String(),
        pending: N,
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
        lastWaitMs: N,
      },
      Open,
    ),
  ),
  video: Nullable(VideoStatsSchema),
})

const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/metrics',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['station'],
        summary:
          'Station metrics: caches, read pool, write queues, WebSockets, memory, event loop, routes, video',
        description:
          'Response times per route are histograms over the station’s lifetime (p50/p95/p99 interpolated ' +
          'within buckets); event-loop delay covers the last minute.',
        response: { 200: Ok(MetricsSnapshotSchema) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store')
      return { success: true as const, data: app.metrics.snapshot() }
    },
  )

  app.get(
    '/metrics',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['station'],
        summary: 'Station metrics in the Prometheus text format',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store').type(PROMETHEUS_CONTENT_TYPE)
      return app.metrics.prometheus()
    },
  )
}

export default metricsRoutes
