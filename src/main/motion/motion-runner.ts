/**
 * The motion detectors of the station: one per camera whose detection is on while the camera is enabled,
 * usable, and ffmpeg is there. Kept in step with the facts on the domain event stream (`camera.changed`,
 * `motion.changed`) and with the camera's channel (a detector the channel lets go of is set up again a
 * moment later, if it is still wanted). Each motion start and end is published as `camera.motion`, and
 * each zone's as `camera.zone-motion`.
 */
import type { DomainEventStream } from '../events/domain-stream'
import type { CameraChannel } from '../video/camera-channel'
import type { ResolvedFfmpeg } from '../video/ffmpeg/resolve-ffmpeg'
import type { MotionSettings, MotionStats } from '../../shared/schemas/motion'
import { MotionDetector, type MotionDetectorOptions } from './motion-detector'

export interface MotionRunnerDeps {
  settings: (cameraId: number) => MotionSettings
  enabledSettings: () => MotionSettings[]
  /** Whether the camera exists and is enabled. */
  cameraEnabled: (cameraId: number) => boolean
  channel: (cameraId: number) => CameraChannel | undefined
  ffmpeg: ResolvedFfmpeg
  events: Pick<DomainEventStream, 'publish'>
  log: MotionDetectorOptions['log']
  /** Detector tuning (tests: a short hold). */
  detector?: Partial<
    Pick<MotionDetectorOptions, 'holdMs' | 'startFrames' | 'maxWidth' | 'keyframes' | 'stallMs'>
  >
  /** A detector the channel let go of is looked at again after this (default 2 s). */
  retryMs?: number
}

interface Running {
  detector: MotionDetector
  channel: CameraChannel
}

export class MotionRunner {
  private readonly running = new Map<number, Running>()
  private readonly stopping = new Set<Promise<void>>()
  private readonly retries = new Map<number, NodeJS.Timeout>()
  private closed = false

  constructor(private readonly deps: MotionRunnerDeps) {}

  get unavailable(): string | null {
    return 'missing' in this.deps.ffmpeg ? this.deps.ffmpeg.missing : null
  }

  start(): void {
    for (const s of this.deps.enabledSettings()) this.reconcile(s.cameraId)
  }

  /** Starts, reconfigures or stops the camera's detector as its settings, camera and channel say. */
  reconcile(cameraId: number): void {
    if (this.closed) return
    const settings = this.deps.settings(cameraId)
    const channel = this.deps.channel(cameraId)
    const ffmpeg = this.deps.ffmpeg
    const wanted =
      settings.enabled &&
      'path' in ffmpeg &&
      this.deps.cameraEnabled(cameraId) &&
      channel !== undefined &&
      channel.usable === null
    const run = this.running.get(cameraId)
    if (run && (!wanted || run.channel !== channel)) {
      this.stopOne(cameraId, run)
    } else if (run) {
      run.detector.configure(settings)
      return
    }
    if (!wanted || !channel || !('path' in ffmpeg)) return
    const detector: MotionDetector = new MotionDetector({
      ...this.deps.detector,
      cameraId,
      channel,
      ffmpegPath: ffmpeg.path,
      settings,
      log: this.deps.log,
      motion: (c) =>
        this.deps.events.publish({
          type: 'camera.motion',
          cameraId,
          state: c.state,
          area: Math.round(c.area * 10_000) / 10_000,
          at: c.at,
        }),
      zoneMotion: ({ zone, change: c }) =>
        this.deps.events.publish({
          type: 'camera.zone-motion',
          cameraId,
          zone,
          name: this.deps.settings(cameraId).zones[zone]?.name ?? null,
          state: c.state,
          area: Math.round(c.area * 10_000) / 10_000,
          at: c.at,
        }),
      ended: (reason) => this.ended(cameraId, detector, reason),
    })
    this.running.set(cameraId, { detector, channel })
    detector.start()
  }

  private stopOne(cameraId: number, run: Running): void {
    this.running.delete(cameraId)
    const done = run.detector.stop()
    this.stopping.add(done)
    void done.finally(() => this.stopping.delete(done))
  }

  /** The channel let go of a detector: look again in a moment (the camera may be back, or gone). */
  private ended(cameraId: number, detector: MotionDetector, reason: string): void {
    if (this.running.get(cameraId)?.detector !== detector) return
    this.running.delete(cameraId)
    if (this.closed) return
    this.deps.log.info({ cameraId, reason }, 'motion detector detached')
    clearTimeout(this.retries.get(cameraId))
    const t = setTimeout(() => {
      this.retries.delete(cameraId)
      this.reconcile(cameraId)
    }, this.deps.retryMs ?? 2000)
    t.unref()
    this.retries.set(cameraId, t)
  }

  stats(): MotionStats {
    return {
      cameras: [...this.running.entries()]
        .sort(([a], [b]) => a - b)
        .map(([cameraId, r]) => ({ cameraId, ...r.detector.stats() })),
      unavailable: this.unavailable,
    }
  }

  /** Cameras in motion now. */
  active(): number[] {
    return [...this.running.entries()]
      .filter(([, r]) => r.detector.stats().state === 'motion')
      .map(([id]) => id)
  }

  /** Stops every detector; resolves once every ffmpeg it started has exited. */
  async close(): Promise<void> {
    this.closed = true
    for (const t of this.retries.values()) clearTimeout(t)
    this.retries.clear()
    for (const [id, run] of [...this.running]) this.stopOne(id, run)
    await Promise.all([...this.stopping])
  }
}
