/**
 * The station's one latency histogram (milliseconds), for percentiles the station shows (per route, video
 * relay) and the simulator and benchmark measure. Log buckets growing by 2% from 10 µs to 10 minutes:
 * recording is O(1), memory is constant whatever the traffic, and a percentile, interpolated within its
 * bucket, is within 2% of the true value. Histograms merge by adding counts, and `counts` rebuilds one in
 * another process (the benchmark combines what its child processes measured).
 *
 * Prometheus gets its own histograms (prom-client, buckets chosen per figure): see ./instruments.ts.
 */
import type { HistogramSummary } from '../../shared/schemas/metrics'

export type { HistogramSummary }

const GROWTH = 1.02
const MIN_MS = 0.01
const MAX_MS = 600_000
/** Bucket i holds values in (upper(i-1), upper(i)]; the last one also holds everything above MAX_MS. */
const BUCKETS = Math.ceil(Math.log(MAX_MS / MIN_MS) / Math.log(GROWTH)) + 2
const LOG_GROWTH = Math.log(GROWTH)

/** Upper bound (ms) of bucket i; bucket 0 starts at 0. */
const upper = (i: number) => MIN_MS * GROWTH ** i

export class LatencyHistogram {
  /** Counts per bucket: plain numbers, so they pass between processes as JSON. */
  readonly counts: number[]
  private total = 0
  private sum = 0
  private max = 0

  /** An empty histogram, or one rebuilt from another's `counts` (sum and max then come from the bounds). */
  constructor(counts?: readonly number[]) {
    this.counts = new Array<number>(BUCKETS).fill(0)
    if (!counts) return
    for (let i = 0; i < BUCKETS; i++) {
      const c = counts[i] ?? 0
      if (c === 0) continue
      this.counts[i] = c
      this.total += c
      this.sum += c * upper(i)
      this.max = upper(i)
    }
  }

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const i =
      ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.max(0, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH)))
    this.counts[i]!++
    this.total++
    this.sum += ms
    if (ms > this.max) this.max = ms
  }

  get count(): number {
    return this.total
  }

  get sumMs(): number {
    return this.sum
  }

  get maxMs(): number {
    return this.max
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i] ?? 0
    this.total += other.total
    this.sum += other.sum
    this.max = Math.max(this.max, other.max)
  }

  reset(): void {
    this.counts.fill(0)
    this.total = 0
    this.sum = 0
    this.max = 0
  }

  /** The latency (ms) under which a share `q` (0..1) of the samples fall, interpolated within its bucket. */
  quantile(q: number): number {
    if (this.total === 0) return 0
    const target = Math.min(1, Math.max(0, q)) * this.total
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      const c = this.counts[i]!
      if (c === 0) continue
      if (seen + c >= target) {
        const lower = i === 0 ? 0 : upper(i - 1)
        const top = i === BUCKETS - 1 ? this.max : Math.min(upper(i), this.max)
        return Math.min(lower + ((target - seen) / c) * (top - lower), this.max)
      }
      seen += c
    }
    return this.max
  }

  summary(): HistogramSummary {
    return {
      count: this.total,
      meanMs: this.total ? this.sum / this.total : 0,
      p50Ms: this.quantile(0.5),
      p95Ms: this.quantile(0.95),
      p99Ms: this.quantile(0.99),
      maxMs: this.max,
    }
  }
}
