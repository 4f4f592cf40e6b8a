/**
 * One clock for up to four cameras played together (pure). The clock holds the wall time everyone should
 * show: anchored to the master camera while it plays, it runs on its own (at the playback rate) while the
 * master has nothing to show, so a camera without footage never holds the others. Followers are pulled
 * back to it: a small drift by a slightly faster or slower playbackRate, a large one by a seek.
 */

export class SyncClock {
  private wallAt = 0
  private perfAt = 0
  playing = false
  rate = 1

  constructor(private readonly perfNow: () => number = () => performance.now()) {}

  /** The wall time (epoch ms) now. */
  now(): number {
    if (!this.playing) return this.wallAt
    return this.wallAt + (this.perfNow() - this.perfAt) * this.rate
  }

  /** Sets the time (a seek, a step, or the master's own time while it plays). */
  set(wall: number): void {
    this.wallAt = wall
    this.perfAt = this.perfNow()
  }

  play(): void {
    if (this.playing) return
    this.set(this.now())
    this.playing = true
  }

  pause(): void {
    if (!this.playing) return
    this.set(this.now())
    this.playing = false
  }

  setRate(rate: number): void {
    this.set(this.now())
    this.rate = rate
  }
}

export type Correction = { kind: 'none'; rate: number } | { kind: 'nudge'; rate: number } | { kind: 'seek' }

/**
 * How a follower showing `followerWall` catches up with `clockWall` (ms) at playback `rate`: within
 * 40 ms nothing; up to `seekMs` a playbackRate up to 10% off; beyond, a seek.
 */
export function correction(followerWall: number, clockWall: number, rate: number, seekMs = 500): Correction {
  const drift = followerWall - clockWall
  const abs = Math.abs(drift)
  if (abs > seekMs * Math.max(1, rate / 2)) return { kind: 'seek' }
  if (abs <= 40) return { kind: 'none', rate }
  const k = Math.min(0.1, abs / 2000)
  return { kind: 'nudge', rate: rate * (drift > 0 ? 1 - k : 1 + k) }
}

export const SPEEDS = [1, 2, 4, 8] as const
export type Speed = (typeof SPEEDS)[number]
