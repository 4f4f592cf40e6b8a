/**
 * Up to four cameras played over the same time: one clock (sync-clock.ts), anchored to the first camera
 * that has footage at the clock's time (the master); the others follow it (a nudged playbackRate for a
 * small drift, a seek for a large one). When nobody has footage at the clock's time, playing, the clock
 * jumps to the next recording any camera has. Play, pause, speed, seeks and frame steps apply to all.
 */
import { correction, SyncClock, type Speed } from './sync-clock'
import type { PlaybackPlayer } from './playback-player'

export class PlaybackGroup {
  readonly clock: SyncClock
  private players: PlaybackPlayer[] = []
  private timer: ReturnType<typeof setInterval> | null = null
  /** Seeks the group made for a follower since the start (drift it could not nudge away). */
  followerSeeks = 0

  constructor(
    private readonly onTick: (wall: number) => void = () => {},
    perfNow?: () => number,
  ) {
    this.clock = new SyncClock(perfNow)
    this.timer = setInterval(() => this.tick(), 200)
  }

  get playing(): boolean {
    return this.clock.playing
  }

  get rate(): number {
    return this.clock.rate
  }

  now(): number {
    return this.clock.now()
  }

  add(p: PlaybackPlayer): void {
    this.players.push(p)
    p.setRate(this.clock.rate)
    p.seek(this.clock.now())
    if (this.clock.playing) p.play()
  }

  remove(p: PlaybackPlayer): void {
    this.players = this.players.filter((x) => x !== p)
  }

  seek(wall: number): void {
    this.clock.set(wall)
    for (const p of this.players) p.seek(wall)
    this.onTick(wall)
  }

  play(): void {
    this.clock.play()
    for (const p of this.players) p.play()
  }

  pause(): void {
    this.clock.pause()
    for (const p of this.players) p.pause()
    const m = this.master()
    if (m) this.clock.set(m.wallTime())
  }

  setRate(rate: Speed): void {
    this.clock.setRate(rate)
    for (const p of this.players) p.setRate(rate)
  }

  /** One frame of the master forward or back; the others go to the same time. */
  step(dir: 1 | -1): void {
    if (this.clock.playing) this.pause()
    const m = this.master() ?? this.players[0]
    if (!m) return
    const t = this.clock.now() + dir * m.frameS * 1000 + 1
    this.seek(Math.round(t))
  }

  destroy(): void {
    if (this.timer) clearInterval(this.timer)
    this.players = []
  }

  private master(): PlaybackPlayer | undefined {
    const now = this.clock.now()
    return this.players.find((p) => p.hasDataAt(now))
  }

  private tick(): void {
    if (this.players.length === 0) return
    const master = this.master()
    if (this.clock.playing) {
      if (master?.playing()) this.clock.set(master.wallTime())
      else if (!master && this.players.every((p) => p.covers(this.clock.now()))) {
        // Nobody has footage here: on to the next recording of any camera.
        const now = this.clock.now()
        const next = this.players
          .map((p) => p.nextDataAfter(now))
          .filter((t): t is number => t !== null)
          .sort((a, b) => a - b)[0]
        if (next !== undefined) this.seek(next)
      }
    }
    const now = this.clock.now()
    for (const p of this.players) {
      if (p === master || p.loading() || !p.hasDataAt(now)) continue
      const c = correction(p.wallTime(), now, this.clock.playing ? this.clock.rate : 1)
      if (c.kind === 'seek') {
        this.followerSeeks++
        p.seek(now)
      } else if (this.clock.playing) p.nudge(c.rate)
    }
    this.onTick(now)
  }
}
