/**
 * Motion per zone: one motion state (start after the frames in a row, end after the hold) per zone of a
 * camera, fed each compared frame's per-zone areas, with the camera's minimum area applied to each zone's
 * own watched pixels. A camera without zones has none.
 */
import { MotionState, type MotionChange, type MotionStateOptions } from './motion-state'

export interface ZoneChange {
  zone: number
  change: MotionChange
}

export class ZoneMotion {
  private states: MotionState[] = []

  constructor(count: number, options: MotionStateOptions) {
    this.states = Array.from({ length: count }, () => new MotionState(options))
  }

  get active(): number[] {
    return this.states.flatMap((s, i) => (s.active ? [i] : []))
  }

  /** New settings; a new number of zones ends the motion under way in the old ones. */
  reconfigure(count: number, options: MotionStateOptions, now: number): ZoneChange[] {
    if (count === this.states.length) {
      for (const s of this.states) s.reconfigure(options)
      return []
    }
    const ended = this.stop(now)
    this.states = Array.from({ length: count }, () => new MotionState(options))
    return ended
  }

  frame(areas: readonly number[], at: number): ZoneChange[] {
    return this.each((s, i) => s.frame(areas[i] ?? 0, at))
  }

  idle(now: number): ZoneChange[] {
    return this.each((s) => s.idle(now))
  }

  stop(now: number): ZoneChange[] {
    return this.each((s) => s.stop(now))
  }

  private each(fn: (s: MotionState, i: number) => MotionChange | null): ZoneChange[] {
    const out: ZoneChange[] = []
    this.states.forEach((s, zone) => {
      const change = fn(s, zone)
      if (change) out.push({ zone, change })
    })
    return out
  }
}
