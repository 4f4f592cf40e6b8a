/**
 * `app.metrics`: `X-Response-Time` on every response, response-time histograms per route, event-loop
 * delay, and the snapshot behind GET /api/metrics, /metrics and the admins' live `stats` message (every 5 s).
 * Registered early in tier 2 so its hooks see every route.
 */
import fp from 'fastify-plugin'
import { EventLoopMonitor } from '../../metrics/event-loop'
import { RouteMetrics } from '../../metrics/route-metrics'
import { collectMetrics, type MetricsSnapshot, type MetricsSources } from '../../metrics/snapshot'
import { toPrometheus } from '../../metrics/prometheus'
import { openWebSockets } from '../../ws/live-route'

export const LIVE_STATS_INTERVAL_MS = 5_000

export interface MetricsService {
  snapshot(opts?: { routes?: boolean }): MetricsSnapshot
  prometheus(): string
  /** Counts an answer that did not pass through Fastify's hooks (the hit lane). */
  record(method: string, route: string, statusCode: number, ms: number): void
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: MetricsService
  }
}

export default fp(
  async (app) => {
    const routes = new RouteMetrics()
    const loop = new EventLoopMonitor()
    loop.start()

    // reply.elapsedTime counts from the moment Fastify received the request, before any hook.
    app.addHook('onSend', (_req, reply, payload, done) => {
      reply.header('x-response-time', reply.elapsedTime.toFixed(2))
      done(null, payload)
    })
    app.addHook('onResponse', (req, reply, done) => {
      routes.record(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime)
      done()
    })

    const sources: MetricsSources = {
      startedAt: Date.now(),
      routes,
      loopDelay: () => loop.stats(),
      live: () => app.live.stats(),
      devices: () => (app.hasDecorator('devices') ? app.devices.stats() : null),
      openWebSockets: () => openWebSockets(app),
      maxWebSockets: app.config.ws.maxConnections,
      responseCache: () => (app.hasDecorator('responseCache') ? app.responseCache.stats() : null),
      domainCaches: () => app.domainCaches.stats(),
      readPool: () => app.reads.stats(),
      writer: () => app.writer.stats(),
      queues: () => app.queues.stats(),
      video: () => (app.hasDecorator('video') ? app.video.stats() : null),
    }
    const service: MetricsService = {
      snapshot: (opts) => collectMetrics(sources, opts),
      prometheus: () => toPrometheus(collectMetrics(sources, { routes: false }), routes),
      record: (method, route, statusCode, ms) => routes.record(method, route, statusCode, ms),
    }
    app.decorate('metrics', service)

    const timer = setInterval(() => {
      if (app.live.hasAudience(true)) {
        const stats = service.snapshot({ routes: false }) as unknown as Record<string, unknown>
        app.live.publish({ type: 'stats', stats }, { adminOnly: true })
      }
    }, LIVE_STATS_INTERVAL_MS)
    timer.unref()
    app.addHook('onClose', async () => {
      clearInterval(timer)
      loop.stop()
    })
  },
  { name: 'station-metrics', dependencies: ['station-database', 'station-live'] },
)
