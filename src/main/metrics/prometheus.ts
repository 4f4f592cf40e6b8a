/**
 * The station's Prometheus registry (prom-client): one per station, never the library's global one, so
 * several stations can live in one process (the tests build many). It holds Node's default process
 * metrics (`process_*`, `nodejs_*`), the instruments observed as things happen (./instruments.ts) and
 * the figures read at scrape time (./state-metrics.ts). `/metrics` answers `registry.metrics()`.
 */
import { Registry, collectDefaultMetrics } from 'prom-client'
import { Instruments } from './instruments'

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE

/**
 * Default metrics that break the naming conventions (`promtool check metrics`: gauges named `_total`),
 * and say nothing their per-type siblings (`nodejs_active_handles{type}`...) do not: summed away.
 */
const NON_CONFORMING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]

export interface Prometheus {
  registry: Registry
  instruments: Instruments
}

export function createPrometheus(): Prometheus {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const name of NON_CONFORMING_DEFAULTS) registry.removeSingleMetric(name)
  return { registry, instruments: new Instruments(registry) }
}
