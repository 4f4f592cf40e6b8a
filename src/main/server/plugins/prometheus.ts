/**
 * `app.prometheus`: the station's own Prometheus registry and the instruments the database, write queues,
 * HTTP hooks and video relay observe into. Registered first (tier 1), before the database, whose read
 * pool, writer and queues report their timings here from the start. `/metrics` is in routes/metrics.ts;
 * the figures read at scrape time are registered by the metrics plugin.
 */
import fp from 'fastify-plugin'
import { createPrometheus, type Prometheus } from '../../metrics/prometheus'

declare module 'fastify' {
  interface FastifyInstance {
    prometheus: Prometheus
  }
}

export default fp(
  async (app) => {
    // Nothing to release on close: the registry goes with the app.
    app.decorate('prometheus', createPrometheus())
  },
  { name: 'station-prometheus' },
)
