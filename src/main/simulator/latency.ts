/**
 * A small fixed-size latency histogram (log buckets, ~2% precision from 10 µs to minutes). Recording is
 * O(1) and memory is constant however many samples arrive; histograms merge by adding counts, so the
 * benchmark can combine what several processes measured.
 */
const GROWTH = 1.02
const MIN_US = 10
const BUCKETS = Math.ceil(Math.log(600_000_000 / MIN_US) / Math.log(GROWTH)) + 2

export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export class LatencyHistogram {
  readonly counts: number[]
  private total = 0
  private sumMs = 0
  private maxMs = 0

  constructor(counts?: readonly number[]) {
    this.counts = counts ? [...counts] : new Array<number>(BUCKETS).fill(0)
    if (counts) {
      for (let i = 0; i < this.counts.length; i++) {
        const c = this.counts[i]!
        this.total += c
        this.sumMs += c * bucketValueMs(i)
        if (c > 0) this.maxMs = bucketValueMs(i)
      }
    }
  }

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = ms * 1000
    const i = us <= MIN_US ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(us / MIN_US) / Math.log(GROWTH)))
    this.counts[i]!++
    this.total++
    this.sumMs += ms
    if (ms > this.maxMs) this.maxMs = ms
  }

  get count(): number {
    return this.total
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i] ?? 0
    this.total += other.total
    this.sumMs += other.sumMs
    this.maxMs = Math.max(this.maxMs, other.maxMs)
  }

  reset(): void {
    this.counts.fill(0)
    this.total = 0
    this.sumMs = 0
    this.maxMs = 0
  }

  /** The latency (ms) under which `q` (0..1) of the samples fall. */
  quantile(q: number): number {
    if (this.total === 0) return 0
    const rank = Math.max(1, Math.ceil(q * this.total))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(bucketValueMs(i), this.maxMs)
    }
    return this.maxMs
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.maxMs,
      mean: this.total ? this.sumMs / this.total : 0,
    }
  }
}

/** Upper bound (ms) of bucket i. */
function bucketValueMs(i: number): number {
  return (MIN_US * GROWTH ** i) / 1000
}
