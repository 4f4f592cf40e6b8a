/**
 * One stream of a camera inside its channel: its source, the consumers attached to it, and what a
 * consumer that joins needs to start at once (the latest JPEG, or the init segment and the current GOP).
 *
 * A JPEG camera has one stream (`main`). An RTSP camera has its `main` stream, a `sub` stream when the
 * camera has a sub-stream URL (grid tiles, detectors), and a `transcoded` stream (low-resolution H.264
 * made from the sub stream, or the main one without a sub: the last resort for viewers that cannot decode
 * the camera's H.265). Each stream connects only while a consumer needs it (plus the linger time), so an
 * unwatched stream costs nothing; the camera's health is the channel's, fed by every stream.
 */
import type { RelayCamera } from '../cameras/views'
import type { CameraSource, SourceSink } from './sources/source'
import {
  SourceUnavailableError,
  type SourceEnv,
  type SourceRegistry,
  type StreamName,
} from './sources/registry'
import { Attachment } from './pipeline/attachment'
import { newCounters, type AttachOptions, type Consumer } from './pipeline/consumer'
import { GopCache } from './pipeline/gop'
import type { InitSegment, JpegUnit, VideoFragment, VideoUnit } from './pipeline/units'
import type { StreamStatusMessage } from '../../shared/schemas/video'

export type { StreamName } from './sources/registry'

/** What a lane needs of its channel. */
export interface LaneOwner {
  readonly cam: RelayCamera
  readonly sources: SourceRegistry
  readonly env: SourceEnv
  readonly limits: {
    maxQueueBytes: number
    maxQueueUnits: number
    maxGopBytes: number
    maxGopUnits: number
  }
  readonly idleLingerMs: number
  /** Per consumer group, the figures kept when consumers leave. */
  readonly out: Record<string, ReturnType<typeof newCounters>>
  readonly delivered: (ms: number) => void
  /** A unit arrived on this lane (health, totals). */
  arrived(lane: StreamLane, u: JpegUnit | VideoUnit, now: number): void
  problem(message: string): void
  /** The lane's source status changed, or it started (`started`) or stopped. */
  laneChanged(lane: StreamLane, started?: boolean): void
  status(): StreamStatusMessage
}

export class StreamLane implements SourceSink {
  source: CameraSource | null = null
  unavailable: string | null = null
  readonly attachments = new Map<Consumer, Attachment>()
  /** The latest JPEG (snapshots, joiners). */
  latest: JpegUnit | undefined
  initSegment: InitSegment | undefined
  readonly gop: GopCache
  monitoring = false
  private closed = false
  private lingerTimer: NodeJS.Timeout | undefined
  private holds = 0
  private seq = 0
  private readonly jpegWaiters = new Set<(f: JpegUnit | undefined) => void>()
  private readonly keyWaiters = new Set<(u: VideoUnit | undefined) => void>()

  constructor(
    readonly name: StreamName,
    private readonly owner: LaneOwner,
  ) {
    this.gop = new GopCache(owner.limits.maxGopBytes, owner.limits.maxGopUnits)
  }

  /** Makes the source for the camera as it is now (after a change, the channel makes new lanes). */
  createSource(): void {
    this.unavailable = null
    this.source = null
    try {
      this.source = this.owner.sources.create(this.owner.cam, this, this.owner.env, this.name)
    } catch (err) {
      this.unavailable = err instanceof SourceUnavailableError ? err.message : String(err)
    }
    this.updateSource()
  }

  get pull(): boolean {
    return this.source?.pull ?? false
  }

  /** Does this lane want its pull source connected right now? */
  private get wanted(): boolean {
    const cam = this.owner.cam
    if (!cam.enabled || !this.source) return false
    if (!this.source.pull) return true
    // Only the main stream is kept connected for a camera set to stay connected.
    const stay = cam.stayConnected && this.name === 'main'
    return stay || this.attachments.size > 0 || this.holds > 0 || this.lingerTimer !== undefined
  }

  updateSource(): void {
    if (this.closed) return
    const want = this.wanted
    if (want && !this.monitoring) {
      this.monitoring = true
      this.source?.start()
      this.owner.laneChanged(this, true)
    } else if (!want && this.monitoring) {
      this.monitoring = false
      this.source?.stop()
      // The next connection sends its own init segment; an old GOP is no start for anyone.
      this.resetStream()
      this.owner.laneChanged(this)
    }
  }

  resetStream(): void {
    this.initSegment = undefined
    this.gop.clear()
  }

  // --- The source's sink -------------------------------------------------------------------------

  jpeg(data: Buffer, receivedAt?: number): void {
    const now = performance.now()
    const u: JpegUnit = {
      kind: 'jpeg',
      data,
      seq: ++this.seq,
      receivedAt: receivedAt ?? now,
      wallAt: Date.now(),
    }
    this.latest = u
    this.owner.arrived(this, u, now)
    for (const a of this.attachments.values()) a.offer(u)
    if (this.jpegWaiters.size > 0) this.resolveJpeg(u)
  }

  init(segment: InitSegment): void {
    this.initSegment = segment
    this.gop.clear()
    for (const a of this.attachments.values()) a.init(segment)
  }

  video(fragment: VideoFragment, receivedAt?: number): void {
    if (!this.initSegment) {
      this.problem('video fragment before its init segment')
      return
    }
    const now = performance.now()
    const u: VideoUnit = {
      ...fragment,
      kind: 'video',
      seq: ++this.seq,
      receivedAt: receivedAt ?? now,
      wallAt: Date.now(),
    }
    this.gop.add(u)
    this.owner.arrived(this, u, now)
    for (const a of this.attachments.values()) a.offer(u)
    if (u.keyframe && this.keyWaiters.size > 0) this.resolveKey(u)
  }

  problem(message: string): void {
    this.owner.problem(message)
  }

  statusChanged(): void {
    // A failed connection attempt: whoever waits for a picture gets the answer now, not at the timeout.
    if (this.source?.info().status === 'waiting') {
      if (this.jpegWaiters.size > 0) this.resolveJpeg(undefined)
      if (this.keyWaiters.size > 0) this.resolveKey(undefined)
    }
    this.owner.laneChanged(this)
  }

  get lastSeq(): number {
    return this.seq
  }

  // --- Consumers ----------------------------------------------------------------------------------

  /** Adds a consumer; `prime` then hands it what it needs to start. */
  add(consumer: Consumer, opts: AttachOptions, onFailed: () => void): Attachment {
    const group = opts.group ?? consumer.role
    const a = new Attachment(consumer, {
      needs: opts.needs ?? 'live',
      group,
      totals: (this.owner.out[group] ??= newCounters()),
      maxQueueBytes: opts.maxQueueBytes ?? this.owner.limits.maxQueueBytes,
      maxQueueUnits: opts.maxQueueUnits ?? this.owner.limits.maxQueueUnits,
      onDelivered: consumer.role === 'viewer' ? this.owner.delivered : undefined,
      onFailed,
    })
    this.attachments.set(consumer, a)
    this.cancelLinger()
    this.updateSource()
    return a
  }

  /** The camera's status, then the init segment and the current GOP, or the latest JPEG if recent. */
  prime(consumer: Consumer, a: Attachment, maxJpegAgeMs: number): void {
    consumer.status?.(this.owner.status())
    if (this.initSegment) {
      a.init(this.initSegment)
      for (const u of this.gop.units) a.offer(u)
    }
    if (this.latest && performance.now() - this.latest.receivedAt < maxJpegAgeMs) a.offer(this.latest)
  }

  remove(consumer: Consumer, a: Attachment): boolean {
    if (this.attachments.get(consumer) !== a) return false
    this.attachments.delete(consumer)
    a.detach()
    if (this.attachments.size === 0) this.linger()
    return true
  }

  private linger(): void {
    if (this.closed || !this.source?.pull || this.holds > 0 || this.attachments.size > 0) return
    if (this.owner.cam.stayConnected && this.name === 'main') return
    this.cancelLinger()
    if (this.owner.idleLingerMs === 0) {
      this.updateSource()
      return
    }
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined
      this.updateSource()
    }, this.owner.idleLingerMs)
  }

  private cancelLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
  }

  /** Keeps the source connected while `fn` runs (a snapshot waiting for a picture). */
  private async holding<T>(fn: () => Promise<T>): Promise<T> {
    this.holds++
    this.cancelLinger()
    this.updateSource()
    try {
      return await fn()
    } finally {
      this.holds--
      this.linger()
    }
  }

  /** The next JPEG (connecting a pull camera for it), within `waitMs`. */
  nextJpeg(waitMs: number): Promise<JpegUnit | undefined> {
    return this.holding(() => waitIn(this.jpegWaiters, waitMs, () => this.failing))
  }

  /** The next key frame of the video stream (connecting it for it), within `waitMs`. */
  nextKeyframe(waitMs: number): Promise<VideoUnit | undefined> {
    return this.holding(() => waitIn(this.keyWaiters, waitMs, () => this.failing))
  }

  /** Already failing and waiting to retry: no point in waiting for a picture. */
  private get failing(): boolean {
    return this.source?.info().status === 'waiting'
  }

  private resolveJpeg(f: JpegUnit | undefined): void {
    for (const w of this.jpegWaiters) w(f)
    this.jpegWaiters.clear()
  }

  private resolveKey(u: VideoUnit | undefined): void {
    for (const w of this.keyWaiters) w(u)
    this.keyWaiters.clear()
  }

  /** Ends the lane: its source stops, waiting snapshots get nothing. Consumers are ended by the channel. */
  close(): Promise<void> {
    this.closed = true
    this.cancelLinger()
    this.source?.stop()
    this.monitoring = false
    this.resolveJpeg(undefined)
    this.resolveKey(undefined)
    return this.source?.stopped?.() ?? Promise.resolve()
  }
}

function waitIn<T>(
  waiters: Set<(v: T | undefined) => void>,
  waitMs: number,
  failing: () => boolean,
): Promise<T | undefined> {
  if (failing()) return Promise.resolve(undefined)
  return new Promise<T | undefined>((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(done)
      resolve(undefined)
    }, waitMs)
    const done = (v: T | undefined) => {
      clearTimeout(timer)
      resolve(v)
    }
    waiters.add(done)
  })
}
