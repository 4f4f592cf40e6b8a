/**
 * Where fragments land on the SourceBuffer's timeline ('segments' mode: at their own decode times, plus
 * `timestampOffset`). A stream that jumps back in time (the camera or the station restarted it, a new init
 * with the same codec) or far ahead is re-based so it continues right after what is buffered; smaller
 * forward jumps (frames skipped to a keyframe) stay gaps for the live-edge keeper to jump over. Pure.
 */

export interface TimelineOptions {
  /** A jump back by more than this re-bases. */
  backS: number
  /** A jump ahead by more than this re-bases. */
  aheadS: number
}

export class Timeline {
  /** Seconds added to every fragment's decode time (SourceBuffer.timestampOffset). */
  offset = 0
  private expected: number | null = null

  constructor(private readonly o: TimelineOptions = { backS: 0.5, aheadS: 10 }) {}

  /**
   * Places a fragment that starts at `startS` (its own decode time) and lasts `durationS`; answers the new
   * offset when it has to change, else null.
   */
  place(startS: number, durationS: number): number | null {
    let changed: number | null = null
    if (this.expected !== null) {
      const jump = startS + this.offset - this.expected
      if (jump < -this.o.backS || jump > this.o.aheadS) {
        this.offset = this.expected - startS
        changed = this.offset
      }
    }
    this.expected = startS + this.offset + durationS
    return changed
  }

  reset(): void {
    this.offset = 0
    this.expected = null
  }
}
