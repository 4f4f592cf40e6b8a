/**
 * Applies the live-edge decisions (live-edge.ts) to a <video>: moves the playhead, sets the rate, counts how
 * long the playhead has been stuck while it should play, and starts playback once there is data.
 */
import { liveEdgeAction, type BufferedRange, type LiveEdgeOptions } from './live-edge'

export class EdgeKeeper {
  jumps = 0
  private lastTime = -1
  private lastLook = 0
  private stalledS = 0

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly o: LiveEdgeOptions,
  ) {}

  /** A new MediaSource: nothing is stuck yet. */
  reset(): void {
    this.lastTime = -1
    this.stalledS = 0
    this.lastLook = performance.now()
  }

  look(ranges: readonly BufferedRange[], now = performance.now()): void {
    const v = this.video
    const t = v.currentTime
    const hasData = ranges.length > 0
    this.stalledS = hasData && t === this.lastTime ? this.stalledS + (now - this.lastLook) / 1000 : 0
    this.lastTime = t
    this.lastLook = now
    const action = liveEdgeAction(
      { currentTime: t, ranges, playbackRate: v.playbackRate, stalledS: this.stalledS },
      this.o,
    )
    if (action.type === 'seek') {
      v.currentTime = action.to
      this.jumps++
      this.stalledS = 0
    } else if (action.type === 'rate') v.playbackRate = action.rate
    if (hasData && v.paused) void v.play().catch(() => {})
  }
}
