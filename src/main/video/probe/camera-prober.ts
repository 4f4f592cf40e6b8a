/**
 * Checks the pull cameras nobody keeps connected, so their health is true whether or not anyone watches:
 * every `intervalMs` (jittered by ±20%, the first check soon after the camera appears), one cheap request
 * per camera (http-probe.ts, rtsp-probe.ts), at most `concurrency` at a time. The result goes to the
 * camera's channel (`probed`), which flips its health like frames do: online only once the camera
 * answered, offline with the reason when it did not. A camera that gets connected (a viewer, a recorder)
 * is not checked: its frames speak for it, and a check in flight is cancelled.
 */
import { describeError } from '../camera-http'
import type { CameraChannel } from '../camera-channel'
import type { RelayCamera } from '../../cameras/views'
import { probeHttpCamera } from './http-probe'
import { probeRtspCamera } from './rtsp-probe'
import type { ProbeEnv } from './probe-types'

export type ProbeFn = (cam: RelayCamera, env: ProbeEnv, signal: AbortSignal) => Promise<void>

/** The check for a camera's kind (none for push cameras: they come to the station). */
export function probeFor(kind: RelayCamera['kind']): ProbeFn | undefined {
  if (kind === 'mjpeg' || kind === 'snapshot') return probeHttpCamera
  if (kind === 'rtsp') return probeRtspCamera
  return undefined
}

export interface CameraProberOptions {
  /** 0: no checks. */
  intervalMs: number
  env: ProbeEnv
  /** Checks running at once, across the station. */
  concurrency?: number
  /** The first check of a camera comes within this (jittered), so a start or a new camera is known soon. */
  firstWithinMs?: number
  random?: () => number
  /** The check of a kind (default `probeFor`). */
  checks?: (kind: RelayCamera['kind']) => ProbeFn | undefined
}

export class CameraProber {
  private readonly due = new Map<CameraChannel, number>()
  private readonly running = new Map<CameraChannel, AbortController>()
  private readonly concurrency: number
  private readonly firstWithinMs: number
  private readonly random: () => number
  private closed = false

  constructor(private readonly o: CameraProberOptions) {
    this.concurrency = o.concurrency ?? 4
    this.firstWithinMs = Math.min(o.intervalMs, o.firstWithinMs ?? 5000)
    this.random = o.random ?? Math.random
  }

  /** Called on the hub's tick (performance.now()): starts the checks that are due. */
  tick(channels: Iterable<CameraChannel>, now: number): void {
    if (this.o.intervalMs === 0 || this.closed) return
    const present = new Set<CameraChannel>()
    for (const ch of channels) {
      present.add(ch)
      if (!ch.probeWanted) {
        this.forget(ch)
        continue
      }
      const due = this.due.get(ch)
      if (due === undefined) this.due.set(ch, now + this.random() * this.firstWithinMs)
      else if (due <= now && !this.running.has(ch) && this.running.size < this.concurrency) this.run(ch)
    }
    for (const ch of [...this.due.keys()]) if (!present.has(ch)) this.forget(ch)
  }

  /** The camera's source settings changed: check it again soon, not with its old schedule. */
  reset(ch: CameraChannel): void {
    this.forget(ch)
  }

  get checking(): number {
    return this.running.size
  }

  private run(ch: CameraChannel): void {
    const probe = (this.o.checks ?? probeFor)(ch.kind)
    if (!probe) return void this.due.delete(ch)
    const ctl = new AbortController()
    this.running.set(ch, ctl)
    const cam = ch.cam
    const settle = (error: string | null) => {
      if (this.running.get(ch) !== ctl) return
      this.running.delete(ch)
      this.due.set(ch, performance.now() + this.o.intervalMs * (0.8 + 0.4 * this.random()))
      // A camera changed or connected meanwhile: this answer is about something else.
      if (ctl.signal.aborted || ch.cam !== cam || !ch.probeWanted) return
      ch.probed(error)
    }
    probe(cam, this.o.env, ctl.signal).then(
      () => settle(null),
      (err: unknown) => settle(describeError(err)),
    )
  }

  private forget(ch: CameraChannel): void {
    this.due.delete(ch)
    const ctl = this.running.get(ch)
    if (!ctl) return
    ctl.abort()
    this.running.delete(ch)
  }

  close(): void {
    this.closed = true
    for (const ch of [...this.running.keys()]) this.forget(ch)
    this.due.clear()
  }
}
