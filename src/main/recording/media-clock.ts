/**
 * Media time to wall time for one run of a camera's stream (one init segment): wall = anchor wall +
 * (dts - anchor dts) / timescale. Kept exact within a run, so playback can map a file's media time to the
 * wall clock and consecutive segments meet exactly (the end of one is the start of the next).
 *
 * The camera's clock and the station's drift apart (crystal error, a stream that stalled); at each
 * segment boundary the anchor is slewed towards the arrival time by at most `maxSlewMs` (a fraction of a
 * frame, absorbed by the segment that ends there), and re-anchored outright when the gap is larger than
 * `jumpMs` or the timestamps went backwards (then the previous segment must end first: `jumped`).
 */

export interface ClockOptions {
  timescale: number
  maxSlewMs?: number
  jumpMs?: number
}

export class MediaClock {
  private anchorWall = 0
  private anchorDts = 0
  private lastDts: number | undefined
  private readonly timescale: number
  private readonly maxSlewMs: number
  private readonly jumpMs: number

  constructor(opts: ClockOptions) {
    this.timescale = opts.timescale
    this.maxSlewMs = opts.maxSlewMs ?? 20
    this.jumpMs = opts.jumpMs ?? 2000
  }

  get started(): boolean {
    return this.lastDts !== undefined
  }

  /** Wall time of a decode time under the current anchor. */
  wallOf(dts: number): number {
    return this.anchorWall + ((dts - this.anchorDts) * 1000) / this.timescale
  }

  ms(ticks: number): number {
    return (ticks * 1000) / this.timescale
  }

  /**
   * Places a unit: its wall time, and whether the clock had to jump (timestamps went backwards, or far
   * from the arrival time): a segment open across the jump must end before it.
   */
  place(dts: number, arrivedAt: number): { at: number; jumped: boolean } {
    if (this.lastDts === undefined) {
      this.lastDts = dts
      this.anchorWall = arrivedAt
      this.anchorDts = dts
      return { at: arrivedAt, jumped: false }
    }
    const at = this.wallOf(dts)
    const backwards = dts < this.lastDts
    this.lastDts = dts
    if (backwards || Math.abs(arrivedAt - at) > this.jumpMs) {
      this.anchorWall = arrivedAt
      this.anchorDts = dts
      return { at: arrivedAt, jumped: true }
    }
    return { at, jumped: false }
  }

  /**
   * At a segment boundary: moves the anchor towards the arrival time by at most `maxSlewMs`; answers the
   * wall time of `dts` under the new anchor (the boundary: the end of one segment, the start of the next).
   */
  slew(dts: number, arrivedAt: number): number {
    const at = this.wallOf(dts)
    const step = Math.max(-this.maxSlewMs, Math.min(this.maxSlewMs, arrivedAt - at))
    this.anchorWall = at + step
    this.anchorDts = dts
    return this.anchorWall
  }
}
