/**
 * The columns of a sensor chart: history from the station (bucketed min/avg/max) followed by live
 * points, kept within a time window and a point budget. Pure data, handed to uPlot as is.
 */
import type { Reading, ReadingBucket } from '../../../shared/schemas/entities'

export const MAX_POINTS = 20_000

export class SeriesBuffer {
  /** Seconds since the epoch (uPlot's x unit). */
  x: number[] = []
  avg: number[] = []
  min: number[] = []
  max: number[] = []

  constructor(readonly maxPoints = MAX_POINTS) {}

  get length(): number {
    return this.x.length
  }

  /** Replaces the content with history, oldest first. */
  load(rows: Array<ReadingBucket | Reading>): void {
    const sorted = [...rows].sort((a, b) => a.ts - b.ts)
    this.x = sorted.map((r) => r.ts / 1000)
    this.avg = sorted.map((r) => ('avg' in r ? r.avg : r.value))
    this.min = sorted.map((r) => ('min' in r ? r.min : r.value))
    this.max = sorted.map((r) => ('max' in r ? r.max : r.value))
    this.bound()
  }

  /** Appends a live point; points older than the last one are ignored (the chart only moves forward). */
  append(ts: number, value: number): boolean {
    const t = ts / 1000
    const last = this.x[this.x.length - 1]
    if (last !== undefined && t < last) return false
    this.x.push(t)
    this.avg.push(value)
    this.min.push(value)
    this.max.push(value)
    this.bound()
    return true
  }

  /** Drops points before `fromTs` (ms): the rolling window moves on. */
  trimBefore(fromTs: number): void {
    const t = fromTs / 1000
    let i = 0
    while (i < this.x.length && this.x[i]! < t) i++
    if (i > 0) this.drop(i)
  }

  data(): [number[], number[], number[], number[]] {
    return [this.x, this.avg, this.min, this.max]
  }

  private bound(): void {
    // Trim in chunks, not one point per append: shifting 20,000 entries each time would be wasteful.
    const over = this.x.length - this.maxPoints
    if (over > 0) this.drop(Math.max(over, Math.floor(this.maxPoints / 10)))
  }

  private drop(n: number): void {
    this.x = this.x.slice(n)
    this.avg = this.avg.slice(n)
    this.min = this.min.slice(n)
    this.max = this.max.slice(n)
  }
}

/** Bucket width for a range: about `target` points across it, never below one second. */
export function bucketFor(spanMs: number, target = 1500): number {
  return Math.max(1000, Math.ceil(spanMs / target))
}
