/** Response times and status classes per route (method + route pattern), in bounded memory. */
import type { RouteStats } from '../../shared/schemas/metrics'
import { LatencyHistogram } from './histogram'

/** Routes are a fixed table; this only guards against surprises (e.g. many distinct unmatched paths). */
export const MAX_ROUTES = 500
export const UNMATCHED = '(unmatched)'
const OTHER = '(other)'

export interface RouteStat {
  method: string
  route: string
  histogram: LatencyHistogram
  byClass: { '2xx': number; '3xx': number; '4xx': number; '5xx': number }
}

export type StatusClass = keyof RouteStat['byClass']

export function statusClass(statusCode: number): StatusClass {
  return statusCode >= 500 ? '5xx' : statusCode >= 400 ? '4xx' : statusCode >= 300 ? '3xx' : '2xx'
}

/** One route's figures in a snapshot. */
export type RouteSnapshot = RouteStats

export class RouteMetrics {
  private readonly routes = new Map<string, RouteStat>()
  private total = 0

  /** Records one answer; returns the entry it was counted in (its `route` is the bounded label to use). */
  record(method: string, route: string | undefined, statusCode: number, ms: number): RouteStat {
    let pattern = route ?? UNMATCHED
    let stat = this.routes.get(`${method} ${pattern}`)
    if (!stat) {
      // Past the bound, new routes share one entry (the map grows by at most one per method).
      if (this.routes.size >= MAX_ROUTES) pattern = OTHER
      const key = `${method} ${pattern}`
      stat = this.routes.get(key)
      if (!stat) {
        stat = {
          method,
          route: pattern,
          histogram: new LatencyHistogram(),
          byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
        }
        this.routes.set(key, stat)
      }
    }
    stat.histogram.record(ms)
    stat.byClass[statusClass(statusCode)]++
    this.total++
    return stat
  }

  get requests(): number {
    return this.total
  }

  /** Busiest routes first. */
  snapshot(): RouteSnapshot[] {
    return [...this.routes.values()]
      .map((s) => ({ method: s.method, route: s.route, byClass: { ...s.byClass }, ...s.histogram.summary() }))
      .sort((a, b) => b.count - a.count)
  }
}
