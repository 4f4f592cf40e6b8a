/**
 * `GET /api/metrics` (JSON, for the UI: admins) and `GET /metrics` (Prometheus text: admins, or a scraper
 * with the scrape credential: the metrics token as Bearer, or an address on STATION_METRICS_ALLOW).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { MetricsSnapshotSchema, PrometheusText } from '../../../shared/schemas/metrics'
import { PROMETHEUS_CONTENT_TYPE } from '../../metrics/prometheus'

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
      config: { auth: 'admin-or-scraper', tokenScope: 'metrics' },
      schema: {
        tags: ['station'],
        summary: 'Station metrics in the Prometheus text format',
        description:
          'For Prometheus: station figures (`station_*`) and Node process metrics (`process_*`, `nodejs_*`). ' +
          'Scrapers present the metrics token issued by POST /api/settings/metrics-token.',
        produces: ['text/plain'],
        response: { 200: PrometheusText },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store').type(PROMETHEUS_CONTENT_TYPE)
      return app.metrics.prometheus()
    },
  )
}

export default metricsRoutes
