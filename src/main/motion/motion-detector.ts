/**
 * One camera's motion detector: a consumer (role `detector`) of the camera's sub stream (its main stream
 * when it has none, or its JPEGs), feeding a small gray decoder (gray-decoder.ts) and comparing what comes
 * out (frame-compare.ts, motion-state.ts). It reports motion starts and ends; the service publishes them.
 *
 * Bounded: one unit in flight to ffmpeg, taken back only once ffmpeg has read it, so while ffmpeg is
 * behind the channel queues a little for it (the bounds below) and then skips to the next key frame.
 * JPEG cameras: only a JPEG every 1/fps s is let through, the latest wins.
 *
 * Supervised: ffmpeg that exits or stops producing frames is restarted at the next key frame, after a
 * delay that grows while it keeps failing (1 s to 30 s). A new init segment (the camera reconnected, its
 * stream changed) starts a new decoder. In `auto` mode the detector moves to key frames only when the
 * camera sends them at least `fps` times a second (measured from the stream), and back when it does not.
 */
import type { FfmpegExit } from '../video/ffmpeg/ffmpeg-process'
import { jpegDimensions } from '../video/jpeg'
import type { Consumer, Detach } from '../video/pipeline/consumer'
import type { InitSegment, JpegUnit, MediaItem, MediaUnit, VideoUnit } from '../video/pipeline/units'
import type { ChannelAttachOptions } from '../video/camera-channel'
import type { MotionPolygon } from '../../shared/schemas/motion'
import { frameSize, type DecodeMode } from './decoder-args'
import { FrameComparer } from './frame-compare'
import { GrayDecoder } from './gray-decoder'
import { MotionState, type MotionChange } from './motion-state'
import { watchMask } from './zone-mask'
import { ZoneMotion, type ZoneChange } from './zone-motion'

export interface DetectorSettings {
  sensitivity: number
  minArea: number
  fps: number
  zones: readonly MotionPolygon[]
  masks: readonly MotionPolygon[]
}

/** What the detector attaches to: a camera's channel. */
export interface DetectorChannel {
  attach(consumer: Consumer, opts?: ChannelAttachOptions): Detach
  streamOf?(consumer: Consumer): string | undefined
  /** The consumers' figures: the detector reads how many units it had to skip. */
  consumers?(): { consumer: Consumer; skipped: number }[]
}

export interface MotionDetectorOptions {
  cameraId: number
  channel: DetectorChannel
  ffmpegPath: string
  settings: DetectorSettings
  /** Width of the compared frames (default 128; the height follows the picture). */
  maxWidth?: number
  holdMs?: number
  startFrames?: number
  /** auto (default): key frames only when the camera's GOP allows the rate; always; never. */
  keyframes?: 'auto' | 'always' | 'never'
  backoffMinMs?: number
  backoffMaxMs?: number
  /** No frame out of ffmpeg for this long while it is fed: restarted (default 15 s). */
  stallMs?: number
  log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
  motion(change: MotionChange): void
  /** Motion in one zone started or ended (cameras with zones). */
  zoneMotion?(change: ZoneChange): void
  /** The channel let go of the detector (camera disabled, deleted, unusable; the station closing). */
  ended(reason: string): void
}

/** While ffmpeg is behind, the channel keeps at most this much for the detector, then skips. */
const MAX_QUEUE_UNITS = 50
const MAX_QUEUE_BYTES = 4 * 1024 * 1024
/** A decoder that ran this long before failing was fine: the next restart waits the shortest delay. */
const HEALTHY_RUN_MS = 30_000
/** Fell behind (the channel skipped units for it) this many times within the window: key frames only. */
const BEHIND_TIMES = 3
const BEHIND_WINDOW_MS = 30_000

export interface DetectorFigures {
  state: 'idle' | 'motion'
  running: boolean
  mode: 'all-frames' | 'keyframes'
  stream: string
  width: number
  height: number
  fps: number
  frames: number
  skipped: number
  lastArea: number
  starts: number
  restarts: number
  lastError: string | null
  lastFrameAt: number | null
  compareMs: number
  decoderCpuMs: number | null
  decoderPid: number | null
}

export class MotionDetector implements Consumer {
  readonly role = 'detector' as const
  private settings: DetectorSettings
  private detach: Detach | undefined
  private decoder: GrayDecoder | undefined
  /** The decoders being stopped on purpose (their exit is no failure). */
  private readonly retiring = new Set<GrayDecoder>()
  private init: InitSegment | undefined
  private jpegSize: { width: number; height: number } | undefined
  private comparer: FrameComparer | undefined
  private readonly state: MotionState
  private readonly zones: ZoneMotion
  private keyframesOnly: boolean
  private retryAt = 0
  private delay: number
  private lastAccepted = -Infinity
  private lastKey: { dts: number; timescale: number } | undefined
  /** The channel's skip count for this detector, and when it last grew (falling behind). */
  private channelSkipped = 0
  private behindAt: number[] = []
  /** Switched to key frames only because ffmpeg could not keep up: stays so (auto never switches back). */
  private overloaded = false
  private closed = false
  /** The delivery waiting for ffmpeg to read (called once, on drain or on exit). */
  private pendingDone: (() => void) | undefined
  private readonly figures = {
    frames: 0,
    skipped: 0,
    lastArea: 0,
    starts: 0,
    restarts: 0,
    lastError: null as string | null,
    lastFrameAt: null as number | null,
    compareMs: 0,
  }

  constructor(private readonly o: MotionDetectorOptions) {
    this.settings = o.settings
    this.state = new MotionState(this.stateOptions())
    this.zones = new ZoneMotion(o.settings.zones.length, this.stateOptions())
    this.keyframesOnly = o.keyframes === 'always'
    this.delay = o.backoffMinMs ?? 1000
  }

  start(): void {
    if (this.closed || this.detach) return
    this.detach = this.o.channel.attach(this, {
      stream: 'sub',
      needs: this.keyframesOnly ? 'keyframes' : 'live',
      maxQueueUnits: MAX_QUEUE_UNITS,
      maxQueueBytes: MAX_QUEUE_BYTES,
    })
  }

  /** New settings: zones, masks, sensitivity and area apply to the next frame; a new rate restarts ffmpeg. */
  configure(settings: DetectorSettings): void {
    const fpsChanged = settings.fps !== this.settings.fps
    this.settings = settings
    this.state.reconfigure(this.stateOptions())
    this.reportZones(this.zones.reconfigure(settings.zones.length, this.stateOptions(), Date.now()))
    if (this.comparer) {
      const { width, height } = this.comparer
      this.comparer.reconfigure(watchMask(width, height, settings.zones, settings.masks), {
        sensitivity: settings.sensitivity,
      })
    }
    if (fpsChanged && this.decoder?.mode === 'all-frames') this.retire()
  }

  /** Detaches and stops ffmpeg; motion under way ends. Resolves once ffmpeg has exited. */
  async stop(): Promise<void> {
    this.closed = true
    this.detach?.()
    this.detach = undefined
    this.report(this.state.stop(Date.now()))
    this.reportZones(this.zones.stop(Date.now()))
    const exits = [...this.retiring].map((d) => d.exited)
    if (this.decoder) exits.push(this.retire())
    await Promise.all(exits)
  }

  // --- Consumer -------------------------------------------------------------------------------------

  accept(unit: MediaUnit): boolean {
    if (unit.kind !== 'jpeg') return true
    // JPEG cameras: one picture per 1/fps s (with a little slack for jitter).
    if (unit.receivedAt - this.lastAccepted < 900 / this.settings.fps) return false
    this.lastAccepted = unit.receivedAt
    return true
  }

  deliver(item: MediaItem, done: () => void): void {
    if (this.closed) return done()
    if (item.kind === 'init') {
      if (item !== this.init) {
        this.init = item
        this.lastKey = undefined
        if (this.decoder) this.retire()
      }
      return done()
    }
    if (item.kind === 'jpeg') return this.jpeg(item, done)
    this.video(item, done)
  }

  tick(): void {
    const now = Date.now()
    const dec = this.decoder
    const stallMs = this.o.stallMs ?? 15_000
    if (dec && dec.pendingSince !== null && now - dec.pendingSince > stallMs) {
      this.figures.lastError = `the decoder gave no picture for ${Math.round(stallMs / 1000)} s`
      this.o.log.warn({ cameraId: this.o.cameraId }, 'motion decoder stalled; restarting')
      this.fail()
      this.retire()
    }
    this.noteBehind(now)
    this.report(this.state.idle(now))
    this.reportZones(this.zones.idle(now))
  }

  /**
   * ffmpeg that keeps falling behind (the channel skipping units for it: the machine is short of CPU) is
   * moved to key frames only, the cheapest decoding there is, rather than comparing broken runs of frames.
   */
  private noteBehind(now: number): void {
    const mine = this.o.channel.consumers?.().find((c) => c.consumer === this)
    if (!mine) return
    const grew = mine.skipped > this.channelSkipped
    this.channelSkipped = mine.skipped
    // JPEG cameras have no cheaper mode: their latest picture wins anyway.
    if (!grew || !this.init || this.keyframesOnly || (this.o.keyframes ?? 'auto') !== 'auto') return
    this.behindAt = [...this.behindAt.filter((t) => now - t < BEHIND_WINDOW_MS), now]
    if (this.behindAt.length < BEHIND_TIMES) return
    this.overloaded = true
    this.figures.lastError = 'the decoder could not keep up with every frame: key frames only'
    this.switchMode(true, { behind: this.behindAt.length })
  }

  end(reason: string): void {
    this.detach = undefined
    void this.stop().then(() => this.o.ended(reason))
  }

  // --- Units ----------------------------------------------------------------------------------------

  private video(u: VideoUnit, done: () => void): void {
    if (u.keyframe && this.init) this.noteKeyframe(u, this.init)
    if (this.closed || !this.init) return done()
    if (!this.decoder) {
      if (!u.keyframe || Date.now() < this.retryAt) {
        this.figures.skipped++
        return done()
      }
      const size = frameSize(this.o.maxWidth ?? 128, this.init)
      this.startDecoder(this.keyframesOnly ? 'keyframes' : 'all-frames', size)
      this.write(this.init.data, () => {})
    }
    this.write(u.data, done)
  }

  private jpeg(u: JpegUnit, done: () => void): void {
    const dims = jpegDimensions(u.data)
    if (!dims) return done()
    const size = frameSize(this.o.maxWidth ?? 128, dims)
    if (this.decoder && (size.width !== this.decoder.width || size.height !== this.decoder.height)) {
      this.retire()
    }
    if (!this.decoder) {
      if (Date.now() < this.retryAt) {
        this.figures.skipped++
        return done()
      }
      this.jpegSize = size
      this.startDecoder('mjpeg', size)
    }
    this.write(u.data, done)
  }

  /** Writes to ffmpeg; `done` once it has read the bytes (or is gone). */
  private write(data: Uint8Array, done: () => void): void {
    const dec = this.decoder
    if (!dec) return done()
    let called = false
    const once = () => {
      if (called) return
      called = true
      if (this.pendingDone === once) this.pendingDone = undefined
      done()
    }
    if (dec.write(data, once)) return once()
    this.pendingDone = once
  }

  /** Watches the camera's key frame interval; `auto` switches to key frames only when it allows the rate. */
  private noteKeyframe(u: VideoUnit, init: InitSegment): void {
    const last = this.lastKey
    this.lastKey = { dts: u.dts, timescale: init.timescale }
    if ((this.o.keyframes ?? 'auto') !== 'auto' || !last || last.timescale !== init.timescale) return
    const gopS = (u.dts - last.dts) / init.timescale
    if (!(gopS > 0)) return
    const enough = gopS <= 1.05 / this.settings.fps
    const switchTo =
      enough && !this.keyframesOnly
        ? true
        : !enough && !this.overloaded && gopS > 1.5 / this.settings.fps
          ? false
          : null
    if (switchTo === null || switchTo === this.keyframesOnly) return
    this.switchMode(switchTo, { gopS })
  }

  private switchMode(keyframesOnly: boolean, why: object): void {
    this.o.log.info(
      { cameraId: this.o.cameraId, keyframesOnly, ...why },
      'motion detector changes its decoding mode',
    )
    // Re-attached in the other mode, after this delivery (the channel primes it with the init segment).
    this.keyframesOnly = keyframesOnly
    this.channelSkipped = 0
    this.behindAt = []
    queueMicrotask(() => {
      if (this.closed || !this.detach) return
      this.detach()
      this.detach = undefined
      if (this.decoder) this.retire()
      this.start()
    })
  }

  // --- The decoder ----------------------------------------------------------------------------------

  private startDecoder(mode: DecodeMode, size: { width: number; height: number }): void {
    const { width, height } = size
    const mask = watchMask(width, height, this.settings.zones, this.settings.masks)
    if (this.comparer?.width === width && this.comparer.height === height) {
      this.comparer.reconfigure(mask, { sensitivity: this.settings.sensitivity })
      this.comparer.reset()
    } else {
      this.comparer = new FrameComparer(mask, { sensitivity: this.settings.sensitivity })
    }
    const dec: GrayDecoder = new GrayDecoder({
      ffmpegPath: this.o.ffmpegPath,
      mode,
      width,
      height,
      fps: this.settings.fps,
      log: (line, repeats) =>
        this.o.log.warn({ cameraId: this.o.cameraId, repeats }, `motion decoder: ${line}`),
      frame: (frame, at) => this.frame(frame, at),
      exit: (exit) => this.exited(dec, exit),
    })
    this.decoder = dec
  }

  private frame(frame: Uint8Array, at: number): void {
    const c = this.comparer
    if (!c || this.closed) return
    const t0 = performance.now()
    const area = c.compare(frame)
    this.figures.compareMs += performance.now() - t0
    this.figures.frames++
    this.figures.lastArea = area
    this.figures.lastFrameAt = at
    this.report(this.state.frame(area, at))
    this.reportZones(this.zones.frame(c.zoneAreas, at))
  }

  /** Stops the running decoder on purpose; the next key frame starts another. */
  private retire(): Promise<FfmpegExit> {
    const dec = this.decoder!
    this.decoder = undefined
    this.retiring.add(dec)
    const pending = this.pendingDone
    this.pendingDone = undefined
    pending?.()
    return dec.stop()
  }

  private exited(dec: GrayDecoder, exit: FfmpegExit): void {
    if (this.retiring.delete(dec)) return
    if (this.decoder !== dec) return
    this.decoder = undefined
    const pending = this.pendingDone
    this.pendingDone = undefined
    if (!this.closed) {
      this.figures.lastError = exit.problem ? `${exit.message}: ${exit.problem.detail}` : exit.message
      this.o.log.warn(
        { cameraId: this.o.cameraId, reason: exit.reason, code: exit.code },
        'motion decoder exited; restarting',
      )
      if (Date.now() - dec.startedAt > HEALTHY_RUN_MS) this.delay = this.o.backoffMinMs ?? 1000
      this.fail()
    }
    pending?.()
  }

  /** A failure: the next decoder starts after the delay, which grows while failures go on. */
  private fail(): void {
    this.figures.restarts++
    this.retryAt = Date.now() + this.delay * (0.8 + Math.random() * 0.4)
    this.delay = Math.min(this.o.backoffMaxMs ?? 30_000, this.delay * 2)
  }

  private report(change: MotionChange | null): void {
    if (!change) return
    if (change.state === 'start') this.figures.starts++
    this.o.motion(change)
  }

  private reportZones(changes: readonly ZoneChange[]): void {
    for (const z of changes) this.o.zoneMotion?.(z)
  }

  private stateOptions() {
    return {
      minArea: this.settings.minArea,
      ...(this.o.holdMs !== undefined ? { holdMs: this.o.holdMs } : {}),
      ...(this.o.startFrames !== undefined ? { startFrames: this.o.startFrames } : {}),
    }
  }

  stats(): DetectorFigures {
    const dec = this.decoder
    const size = dec ?? this.comparer ?? this.jpegSize
    return {
      ...this.figures,
      state: this.state.active ? 'motion' : 'idle',
      running: dec !== undefined,
      mode: this.keyframesOnly ? 'keyframes' : 'all-frames',
      stream: this.o.channel.streamOf?.(this) ?? 'sub',
      width: size?.width ?? 0,
      height: size?.height ?? 0,
      fps: this.settings.fps,
      decoderCpuMs: dec?.cpuMs() ?? null,
      decoderPid: dec?.pid ?? null,
    }
  }
}
