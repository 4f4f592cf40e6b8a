/**
 * When motion starts and ends, from the area of each compared frame: it starts once the area reaches the
 * minimum for `startFrames` frames in a row, and ends once it has stayed below for `holdMs` (a person who
 * pauses for a moment is one motion, not three). An end carries the peak area and, as its time, the moment
 * the area fell below (what moved stopped then; the hold only confirmed it).
 */
export interface MotionChange {
  state: 'start' | 'end'
  area: number
  at: number
}

export interface MotionStateOptions {
  minArea: number
  /** Frames in a row at or above `minArea` before motion starts (default 2). */
  startFrames?: number
  /** How long the area must stay below before motion ends (ms, default 3000). */
  holdMs?: number
}

export const DEFAULT_HOLD_MS = 3000
export const DEFAULT_START_FRAMES = 2

export class MotionState {
  active = false
  private streak = 0
  private peak = 0
  private belowSince: number | null = null
  private lastAt: number | null = null

  constructor(private options: MotionStateOptions) {}

  reconfigure(options: MotionStateOptions): void {
    this.options = options
  }

  /** One compared frame: its area and time (epoch ms). Answers a start or an end, or null. */
  frame(area: number, at: number): MotionChange | null {
    this.lastAt = at
    const above = area >= this.options.minArea
    if (!this.active) {
      this.streak = above ? this.streak + 1 : 0
      if (this.streak < (this.options.startFrames ?? DEFAULT_START_FRAMES)) return null
      this.active = true
      this.peak = area
      this.belowSince = null
      return { state: 'start', area, at }
    }
    if (above) {
      this.peak = Math.max(this.peak, area)
      this.belowSince = null
      return null
    }
    this.belowSince ??= at
    if (at - this.belowSince < (this.options.holdMs ?? DEFAULT_HOLD_MS)) return null
    return this.finish(this.belowSince)
  }

  /**
   * No frame arrives (the camera stopped, the decoder restarts): motion that nobody can see any more ends
   * once the hold has passed since the last frame.
   */
  idle(now: number): MotionChange | null {
    if (!this.active || this.lastAt === null) return null
    if (now - this.lastAt < (this.options.holdMs ?? DEFAULT_HOLD_MS)) return null
    return this.finish(this.belowSince ?? this.lastAt)
  }

  /** Detection stops: motion under way ends now. */
  stop(now: number): MotionChange | null {
    this.streak = 0
    if (!this.active) return null
    return this.finish(this.belowSince ?? this.lastAt ?? now)
  }

  private finish(at: number): MotionChange {
    const change: MotionChange = { state: 'end', area: this.peak, at }
    this.active = false
    this.streak = 0
    this.peak = 0
    this.belowSince = null
    return change
  }
}
