/**
 * `app.metrics`: `X-Response-Time` on every response, response times per route (percentiles for the UI,
 * and the Prometheus histogram), event-loop delay, the snapshot behind GET /api/metrics and the admins'
 * live `stats` message (every 5 s), and `/metrics`: the station's Prometheus registry (app.prometheus),
 * with the figures read at scrape time registered here. Registered early in tier 2 so its hooks see every
 * route.
 */
import fp from 'fastify-plugin'
import { EventLoopMonitor } from '../../metrics/event-loop'
import { RouteMetrics, statusClass } from '../../metrics/route-metrics'
import { collectMetrics, type MetricsSnapshot, type MetricsSources } from '../../metrics/snapshot'
import { registerStateMetrics } from '../../metrics/state-metrics'
import { openWebSockets } from '../../ws/live-route'

export const LIVE_STATS_INTERVAL_MS = 5_000

/** Figures of services registered after the metrics plugin, which they hand in themselves. */
export type ProvidedSource = 'devices' | 'responseCache' | 'video'

export interface MetricsService {
  /** A later service hands in its figures (devices, response cache, video). */
  provide<K extends ProvidedSource>(name: K, source: MetricsSources[K]): void
  snapshot(opts?: { routes?: boolean }): MetricsSnapshot
  /** The Prometheus text exposition of the station's registry. */
  prometheus(): Promise<string>
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
    const { registry, instruments } = app.prometheus
    const record = (method: string, route: string | undefined, statusCode: number, ms: number) => {
      const stat = routes.record(method, route, statusCode, ms)
      instruments.http(stat.method, stat.route, statusClass(statusCode), ms)
    }
    const loop = new EventLoopMonitor()
    loop.start()

    // reply.elapsedTime counts from the moment Fastify received the request, before any hook.
    app.addHook('onSend', (_req, reply, payload, done) => {
      reply.header('x-response-time', reply.elapsedTime.toFixed(2))
      done(null, payload)
    })
    app.addHook('onResponse', (req, reply, done) => {
      record(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime)
      done()
    })

    // Services registered after this plugin hand in their figures (provide() below): null until then.
    const provided: Partial<Pick<MetricsSources, ProvidedSource>> = {}
    const sources: MetricsSources = {
      startedAt: Date.now(),
      routes,
      loopDelay: () => loop.stats(),
      live: () => app.live.stats(),
      devices: () => provided.devices?.() ?? null,
      openWebSockets: () => openWebSockets(app),
      maxWebSockets: app.config.ws.maxConnections,
      responseCache: () => provided.responseCache?.() ?? null,
      domainCaches: () => app.domainCaches.stats(),
      readPool: () => app.reads.stats(),
      writer: () => app.writer.stats(),
      queues: () => app.queues.stats(),
      video: () => provided.video?.() ?? null,
    }
    const service: MetricsService = {
      snapshot: (opts) => collectMetrics(sources, opts),
      prometheus: () => registry.metrics(),
      record,
      provide: (name, source) => {
        Object.assign(provided, { [name]: source })
      },
    }
    app.decorate('metrics', service)
    registerStateMetrics(registry, () => collectMetrics(sources, { routes: false }), sources.startedAt)

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
  { name: 'station-metrics', dependencies: ['station-prometheus', 'station-database', 'station-live'] },
)
