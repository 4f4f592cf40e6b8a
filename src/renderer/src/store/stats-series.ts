/**
 * A bounded history of station figures for the statistics charts, kept outside React state: the chart
 * reads the columns and redraws when a sample arrives.
 */
import type { MetricsSnapshot } from '../../../shared/contract'

export const SERIES_FIELDS = [
  'hitRate',
  'cacheSize',
  'rssMb',
  'heapMb',
  'loopP99Ms',
  'wsOpen',
  'queuePending',
] as const
export type SeriesField = (typeof SERIES_FIELDS)[number]

export class StatsSeries {
  /** Seconds since the epoch (uPlot's x unit). */
  readonly time: number[] = []
  readonly columns: Record<SeriesField, number[]> = Object.fromEntries(
    SERIES_FIELDS.map((f) => [f, [] as number[]]),
  ) as Record<SeriesField, number[]>
  private readonly listeners = new Set<() => void>()

  constructor(readonly capacity = 900) {}

  get length(): number {
    return this.time.length
  }

  push(m: MetricsSnapshot): void {
    const ts = m.serverTime / 1000
    if (this.time.length && ts <= this.time[this.time.length - 1]!) return
    const rc = m.responseCache
    const row: Record<SeriesField, number> = {
      hitRate: rc ? rc.hitRate * 100 : 0,
      cacheSize: rc ? rc.size : 0,
      rssMb: m.memory.rss / 1_048_576,
      heapMb: m.memory.heapUsed / 1_048_576,
      loopP99Ms: m.eventLoopDelay.p99Ms,
      wsOpen: m.websockets.open,
      queuePending: m.queues.reduce((n, q) => n + q.pending, 0),
    }
    this.time.push(ts)
    for (const f of SERIES_FIELDS) this.columns[f].push(row[f])
    if (this.time.length > this.capacity) {
      this.time.shift()
      for (const f of SERIES_FIELDS) this.columns[f].shift()
    }
    for (const l of this.listeners) l()
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
