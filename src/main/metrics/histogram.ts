/**
 * A fixed-bucket latency histogram (milliseconds): constant memory whatever the traffic, O(log n) to
 * record, percentiles interpolated within a bucket (error well under a bucket's width, ≤ 25%).
 * Bounds are 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 per decade from 0.01 ms to 80 s; they include the
 * 1-2.5-5 series Prometheus dashboards expect, so the exported buckets are exact.
 */
import type { HistogramSummary } from '../../shared/schemas/metrics'

const MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]
export const BOUNDS_MS: readonly number[] = Array.from({ length: 7 }, (_, d) =>
  MANTISSAS.map((m) => Number((m * 10 ** (d - 2)).toPrecision(3))),
).flat()
/** The subset exported to Prometheus (le, in ms). */
export const PROMETHEUS_BOUNDS_MS: readonly number[] = BOUNDS_MS.filter((b) =>
  [1, 2.5, 5].includes(Number((b / 10 ** Math.floor(Math.log10(b))).toPrecision(3))),
).filter((b) => b >= 0.1 && b <= 10_000)

export type { HistogramSummary }

export class LatencyHistogram {
  /** counts[i]: values in (BOUNDS_MS[i-1], BOUNDS_MS[i]]; the last slot holds values above every bound. */
  private readonly counts = new Float64Array(BOUNDS_MS.length + 1)
  private n = 0
  private sum = 0
  private max = 0

  record(ms: number): void {
    let lo = 0
    let hi = BOUNDS_MS.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (BOUNDS_MS[mid]! < ms) lo = mid + 1
      else hi = mid
    }
    this.counts[lo]!++
    this.n++
    this.sum += ms
    if (ms > this.max) this.max = ms
  }

  get count(): number {
    return this.n
  }

  get sumMs(): number {
    return this.sum
  }

  percentile(q: number): number {
    if (this.n === 0) return 0
    const target = q * this.n
    let seen = 0
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!
      if (c === 0) continue
      if (seen + c >= target) {
        const lower = i === 0 ? 0 : BOUNDS_MS[i - 1]!
        const upper = i < BOUNDS_MS.length ? BOUNDS_MS[i]! : this.max
        const within = lower + ((target - seen) / c) * (upper - lower)
        return Math.min(within, this.max)
      }
      seen += c
    }
    return this.max
  }

  /** Cumulative counts at each Prometheus bound (le), then +Inf. */
  cumulative(bounds: readonly number[] = PROMETHEUS_BOUNDS_MS): { leMs: number; count: number }[] {
    const out: { leMs: number; count: number }[] = []
    let acc = 0
    let i = 0
    for (const le of bounds) {
      while (i < BOUNDS_MS.length && BOUNDS_MS[i]! <= le) acc += this.counts[i++]!
      out.push({ leMs: le, count: acc })
    }
    out.push({ leMs: Infinity, count: this.n })
    return out
  }

  summary(): HistogramSummary {
    return {
      count: this.n,
      meanMs: this.n ? this.sum / this.n : 0,
      p50Ms: this.percentile(0.5),
      p95Ms: this.percentile(0.95),
      p99Ms: this.percentile(0.99),
      maxMs: this.max,
    }
  }
}
