/**
 * Media time to wall time for one run of a camera's stream (one init segment): wall = ms(dts) + offset.
 * Kept exact within a segment, so playback can map a file's media time to the wall clock, and consecutive
 * segments meet exactly (the end of one is the start of the next).
 *
 * The offset is the smallest (arrival time - media time) over the last units: the least-delayed arrival
 * is the best estimate of when a frame was captured (bursts, a GOP handed over late, network jitter only
 * ever delay a unit). While no segment is open the offset follows that estimate at once; inside a segment
 * it stays put; when the first segment of a run ends, the offset and that whole segment move to the
 * estimate (`settle`: the start of a run arrives in a burst); at each later segment boundary it moves towards the estimate by at most `maxSlewMs` (a
 * fraction of a frame, absorbed by the segment that ends there): the camera's clock and the station's
 * drift apart slowly. Timestamps that go backwards, or an arrival further than `jumpMs` from where the
 * clock places it, re-anchor outright (`jumped`: a segment open across it must end first).
 */

export interface ClockOptions {
  timescale: number
  maxSlewMs?: number
  jumpMs?: number
  /** Units the offset estimate looks back over. */
  window?: number
}

export class MediaClock {
  private offset = 0
  private lastDts: number | undefined
  private readonly recent: number[] = []
  private readonly timescale: number
  private readonly maxSlewMs: number
  private readonly jumpMs: number
  private readonly window: number

  constructor(opts: ClockOptions) {
    this.timescale = opts.timescale
    this.maxSlewMs = opts.maxSlewMs ?? 20
    this.jumpMs = opts.jumpMs ?? 2000
    this.window = opts.window ?? 64
  }

  ms(ticks: number): number {
    return (ticks * 1000) / this.timescale
  }

  /** Wall time of a decode time under the current offset. */
  wallOf(dts: number): number {
    return this.ms(dts) + this.offset
  }

  private estimate(): number {
    let min = Infinity
    for (const o of this.recent) if (o < min) min = o
    return min
  }

  /**
   * Places a unit that arrived at `arrivedAt` (epoch ms). `free`: no segment is open, the offset may move.
   * Answers its wall time, and whether the clock had to jump.
   */
  place(dts: number, arrivedAt: number, free: boolean): { at: number; jumped: boolean } {
    const o = arrivedAt - this.ms(dts)
    const first = this.lastDts === undefined
    const backwards = !first && dts < this.lastDts!
    this.lastDts = dts
    if (first || backwards || Math.abs(arrivedAt - this.wallOf(dts)) > this.jumpMs) {
      this.recent.length = 0
      this.recent.push(o)
      this.offset = o
      return { at: arrivedAt, jumped: !first }
    }
    this.recent.push(o)
    if (this.recent.length > this.window) this.recent.shift()
    if (free) this.offset = this.estimate()
    return { at: this.wallOf(dts), jumped: false }
  }

  /**
   * The first segment of a run ends (at a boundary, or closing): the offset moves to the estimate at once
   * (the first units of a run arrive in a burst, late) and the whole segment moves with it. Answers the
   * step (ms) to add to the segment's times.
   */
  settle(): number {
    const step = this.estimate() - this.offset
    this.offset += step
    return step
  }

  /**
   * At a segment boundary: moves the offset towards the estimate by at most `maxSlewMs`; answers the wall
   * time of `dts` under the new offset (the end of one segment and the start of the next).
   */
  slew(dts: number): number {
    const step = Math.max(-this.maxSlewMs, Math.min(this.maxSlewMs, this.estimate() - this.offset))
    this.offset += step
    return this.wallOf(dts)
  }
}
