/**
 * One camera's relay: its single source (picked by kind from the source registry), its consumers
 * (viewers, recorders, detectors: pipeline/consumer.ts), what a consumer that joins needs to start at
 * once, and the camera's health.
 *
 * Every unit goes to every consumer as the same Buffer (no copy, no re-encoding); each consumer has its
 * own bounded queue and skips when it falls behind (pipeline/attachment.ts), so none holds back the
 * camera or the others. A joining consumer gets the latest JPEG if recent, or the init segment and the
 * current GOP (from the latest key frame). A pull camera is connected only while a consumer is attached
 * (or a snapshot is waiting), plus a short linger, unless it is set to stay connected. Health: online
 * while units arrive, offline after `offlineAfterMs` without one.
 */
import { jpegDimensions } from './jpeg'
import type { RelayCamera } from '../cameras/views'
import type { VideoConfig } from './video-config'
import type { CameraSource, SourceInfo, SourceSink } from './sources/source'
import { PushSource } from './sources/push-source'
import { sourceEnv, SourceUnavailableError, type SourceEnv, type SourceRegistry } from './sources/registry'
import { Attachment } from './pipeline/attachment'
import {
  newCounters,
  type AttachOptions,
  type Consumer,
  type ConsumerCounters,
  type ConsumerInfo,
  type Detach,
  type UnitSource,
} from './pipeline/consumer'
import { GopCache } from './pipeline/gop'
import type { InitSegment, JpegUnit, VideoFragment, VideoUnit } from './pipeline/units'
import type { CameraState, StreamStatusMessage } from '../../shared/schemas/video'

/** disabled · unavailable (no usable source: RTSP, bad URL) · idle (pull, nobody watching) · connecting · online · offline */
export type { CameraState } from '../../shared/schemas/video'

export interface ChannelHooks {
  /** Health flipped (going offline because the camera was disabled is not news: the hub checks `state()`). */
  onlineChanged(ch: CameraChannel, online: boolean, reason: string): void
  /** A viewer took a unit `ms` after the station received it. */
  delivered(ms: number): void
}

/** How much a channel holds, whatever the number of consumers (units are shared, never copied). */
export interface PipelineLimits {
  /** Per consumer, while it is busy: queued video bytes and units (JPEG: one frame waits at most). */
  maxQueueBytes: number
  maxQueueUnits: number
  /** The current GOP kept for joiners; past it they wait for the next key frame. */
  maxGopBytes: number
  maxGopUnits: number
}

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = {
  maxQueueBytes: 16 * 1024 * 1024,
  maxQueueUnits: 1024,
  maxGopBytes: 16 * 1024 * 1024,
  maxGopUnits: 1024,
}

export interface ChannelOptions {
  config: VideoConfig
  sources: SourceRegistry
  hooks: ChannelHooks
  limits?: Partial<PipelineLimits>
}

/** What makes a camera's source differ: a change in any of these restarts it. */
export function sourceKey(c: RelayCamera): string {
  return JSON.stringify([c.kind, c.url, c.username, c.password, c.enabled, c.fps])
}

export class CameraChannel implements SourceSink, UnitSource {
  readonly id: number
  cam: RelayCamera
  private source: CameraSource | null = null
  private unavailable: string | null = null
  private readonly attachments = new Map<Consumer, Attachment>()
  private viewerTotal = 0
  /** The latest JPEG (snapshots, joiners). */
  latest: JpegUnit | undefined
  /** The video stream's current init segment, and its GOP from the latest key frame. */
  private initSegment: InitSegment | undefined
  private readonly gop: GopCache
  private seq = 0
  /** performance.now() when the latest unit arrived. */
  lastUnitAt: number | null = null
  /** Health as the relay sees it (units arriving). */
  online: boolean
  /** What the database holds (the health reports keep it in step). */
  persistedOnline: boolean
  persistedSeenAt: number | null
  persisting = false
  private lastFrameAt = performance.now()
  lastFrameWall: number | null
  private monitoring = false
  private lingerTimer: NodeJS.Timeout | undefined
  private holds = 0
  private readonly waiters = new Set<(f: JpegUnit | undefined) => void>()
  dimensions: { width: number; height: number } | undefined
  readonly totals = {
    framesIn: 0,
    bytesIn: 0,
    badFrames: 0,
    stalledViewersDropped: 0,
    snapshotsServed: 0,
    /** Per consumer group (viewers: full, reduced): what was sent and skipped, kept when consumers leave. */
    out: { full: newCounters(), reduced: newCounters() } as Record<string, ConsumerCounters>,
  }
  lastProblem: string | null = null
  private offlineReason = ''
  private readonly config: VideoConfig
  private readonly sources: SourceRegistry
  private readonly env: SourceEnv
  private readonly hooks: ChannelHooks
  private readonly limits: PipelineLimits

  constructor(cam: RelayCamera, opts: ChannelOptions) {
    this.id = cam.id
    this.cam = cam
    this.config = opts.config
    this.sources = opts.sources
    this.env = sourceEnv(opts.config)
    this.hooks = opts.hooks
    this.limits = { ...DEFAULT_PIPELINE_LIMITS, ...opts.limits }
    this.gop = new GopCache(this.limits.maxGopBytes, this.limits.maxGopUnits)
    this.online = cam.isOnline
    this.persistedOnline = cam.isOnline
    this.persistedSeenAt = cam.lastSeenAt
    this.lastFrameWall = cam.lastSeenAt
    this.createSource()
  }

  get kind() {
    return this.cam.kind
  }

  get isPush(): boolean {
    return this.source instanceof PushSource
  }

  get pushSource(): PushSource | undefined {
    return this.source instanceof PushSource ? this.source : undefined
  }

  /** What the source produces (undefined without one). */
  get media(): 'jpeg' | 'video' | undefined {
    return this.source?.media
  }

  /** Why consumers may not attach (the camera is disabled, or has no usable source); null when they may. */
  get usable(): string | null {
    if (!this.cam.enabled) return 'camera is disabled'
    return this.unavailable
  }

  private createSource(): void {
    this.unavailable = null
    this.source = null
    try {
      this.source = this.sources.create(this.cam, this, this.env)
    } catch (err) {
      this.unavailable = err instanceof SourceUnavailableError ? err.message : String(err)
    }
    this.updateSource()
  }

  /** Applies a changed camera row; `restart` when the source settings changed. */
  update(cam: RelayCamera, restart: boolean): void {
    const wasEnabled = this.cam.enabled
    const media = this.source?.media
    this.cam = cam
    if (!restart) {
      this.updateSource()
      return
    }
    this.source?.stop()
    this.source = null
    this.monitoring = false
    this.resetStream()
    if (!cam.enabled) this.endConsumers('camera disabled')
    if (wasEnabled && !cam.enabled && this.online) this.setOnline(false, 'camera disabled')
    this.createSource()
    if (!cam.enabled) return
    if (this.unavailable) this.endConsumers('camera unavailable')
    else if (media !== undefined && this.media !== media) this.endConsumers('camera kind changed')
  }

  /** Does this channel want its pull source connected right now? */
  private get wanted(): boolean {
    if (!this.cam.enabled || !this.source) return false
    if (!this.source.pull) return true
    return (
      this.cam.stayConnected || this.attachments.size > 0 || this.holds > 0 || this.lingerTimer !== undefined
    )
  }

  private updateSource(): void {
    const want = this.wanted
    if (want && !this.monitoring) {
      this.monitoring = true
      // Give the camera the full offline delay from now before judging it.
      this.lastFrameAt = performance.now()
      this.source?.start()
    } else if (!want && this.monitoring) {
      this.monitoring = false
      this.source?.stop()
      // The next connection sends its own init segment; an old GOP is no start for anyone.
      this.resetStream()
    }
  }

  private resetStream(): void {
    this.initSegment = undefined
    this.gop.clear()
  }

  // --- The source's sink -------------------------------------------------------------------------

  /**
   * A JPEG from the source (pull) or the push routes. `receivedAt` (performance.now()) is when its
   * request began arriving, for push over HTTP: the relay latency then counts the station's whole share.
   */
  jpeg(data: Buffer, receivedAt?: number): void {
    const now = performance.now()
    const u: JpegUnit = {
      kind: 'jpeg',
      data,
      seq: ++this.seq,
      receivedAt: receivedAt ?? now,
      wallAt: Date.now(),
    }
    if (this.latest === undefined || u.seq % 250 === 0) this.dimensions = jpegDimensions(data)
    this.latest = u
    this.arrived(u, now)
    for (const a of this.attachments.values()) a.offer(u)
    if (this.waiters.size > 0) this.resolveWaiters(u)
  }

  init(segment: InitSegment): void {
    this.initSegment = segment
    this.gop.clear()
    if (segment.width && segment.height) this.dimensions = { width: segment.width, height: segment.height }
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
    this.arrived(u, now)
    for (const a of this.attachments.values()) a.offer(u)
  }

  private arrived(u: JpegUnit | VideoUnit, now: number): void {
    this.lastFrameAt = now
    this.lastUnitAt = u.receivedAt
    this.lastFrameWall = u.wallAt
    this.totals.framesIn++
    this.totals.bytesIn += u.data.length
    if (!this.online) this.setOnline(true, 'frames arriving')
  }

  problem(message: string): void {
    this.totals.badFrames++
    this.lastProblem = message
  }

  statusChanged(): void {
    // A failed connection attempt: whoever waits for a snapshot gets the answer now, not at the timeout.
    if (this.waiters.size > 0 && this.source?.info().status === 'waiting') this.resolveWaiters(undefined)
    this.broadcastStatus()
  }

  private resolveWaiters(f: JpegUnit | undefined): void {
    for (const w of this.waiters) w(f)
    this.waiters.clear()
  }

  get lastSeq(): number {
    return this.seq
  }

  // --- Consumers ----------------------------------------------------------------------------------

  /**
   * Attaches a consumer (a viewer, a recorder, a detector): it gets the camera's status, then what it
   * needs to start at once (the latest JPEG if recent, or the init segment and the current GOP), then every
   * unit. Keeps a pull camera connected while attached. Answers the function that detaches it.
   */
  attach(consumer: Consumer, opts: AttachOptions = {}): Detach {
    if (this.attachments.has(consumer)) throw new Error('this consumer is already attached')
    const group = opts.group ?? consumer.role
    const needs = opts.needs ?? 'live'
    const a = new Attachment(consumer, {
      needs,
      group,
      totals: (this.totals.out[group] ??= newCounters()),
      maxQueueBytes: opts.maxQueueBytes ?? this.limits.maxQueueBytes,
      maxQueueUnits: opts.maxQueueUnits ?? this.limits.maxQueueUnits,
      onDelivered: consumer.role === 'viewer' ? this.hooks.delivered : undefined,
      onFailed: () => this.endConsumer(consumer, 'consumer failed'),
    })
    this.attachments.set(consumer, a)
    if (consumer.role === 'viewer') this.viewerTotal++
    this.cancelLinger()
    this.updateSource()
    consumer.status?.(this.statusMessage())
    if (this.initSegment) {
      a.init(this.initSegment)
      for (const u of this.gop.units) a.offer(u)
    }
    if (this.latest && performance.now() - this.latest.receivedAt < this.config.offlineAfterMs) {
      a.offer(this.latest)
    }
    return () => {
      this.remove(consumer, a)
    }
  }

  /** Consumers attached now, with their figures. */
  consumers(): ConsumerInfo[] {
    return [...this.attachments.values()].map((a) => a.info())
  }

  get consumerCount(): number {
    return this.attachments.size
  }

  get viewerCount(): number {
    return this.viewerTotal
  }

  /** The GOP a consumer joining now would start with (tests and figures). */
  get gopBytes(): number {
    return this.gop.bytes
  }

  private remove(consumer: Consumer, a: Attachment): boolean {
    if (this.attachments.get(consumer) !== a) return false
    this.attachments.delete(consumer)
    a.detach()
    if (consumer.role === 'viewer') this.viewerTotal--
    if (this.attachments.size === 0) this.linger()
    return true
  }

  /** Lets go of a consumer and tells it why. */
  private endConsumer(consumer: Consumer, reason: string): void {
    const a = this.attachments.get(consumer)
    if (a && this.remove(consumer, a)) consumer.end?.(reason)
  }

  private endConsumers(reason: string): void {
    for (const c of [...this.attachments.keys()]) this.endConsumer(c, reason)
  }

  private linger(): void {
    if (!this.source?.pull || this.cam.stayConnected || this.holds > 0 || this.attachments.size > 0) return
    this.cancelLinger()
    if (this.config.idleLingerMs === 0) {
      this.updateSource()
      return
    }
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined
      this.updateSource()
    }, this.config.idleLingerMs)
  }

  private cancelLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
  }

  /**
   * The latest JPEG if recent, otherwise the next one (connecting a pull camera for it), within `waitMs`.
   * A video camera has none (a snapshot of it needs a decoder).
   */
  async snapshot(waitMs: number): Promise<JpegUnit | undefined> {
    if (this.latest && performance.now() - this.latest.receivedAt < this.config.offlineAfterMs)
      return this.latest
    if (this.usable || this.source?.media !== 'jpeg') return undefined
    this.holds++
    this.cancelLinger()
    this.updateSource()
    try {
      // Already failing and waiting to retry: no point in waiting here.
      if (this.source?.info().status === 'waiting') return undefined
      return await new Promise<JpegUnit | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters.delete(done)
          resolve(undefined)
        }, waitMs)
        const done = (f: JpegUnit | undefined) => {
          clearTimeout(timer)
          resolve(f)
        }
        this.waiters.add(done)
      })
    } finally {
      this.holds--
      this.linger()
    }
  }

  /** Health and consumer checks; called about twice a second for every camera. */
  tick(now: number): void {
    if (this.monitoring && this.online && now - this.lastFrameAt > this.config.offlineAfterMs) {
      const why = this.source?.info().lastError ?? this.lastProblem
      this.setOnline(
        false,
        `no frame for ${Math.round(this.config.offlineAfterMs / 1000)} s${why ? ` (${why})` : ''}`,
      )
    }
    for (const [consumer, a] of [...this.attachments]) {
      if (a.stalledFor(now) > this.config.viewerStallMs) {
        if (consumer.role === 'viewer') this.totals.stalledViewersDropped++
        this.endConsumer(consumer, `${consumer.role} stalled`)
      } else consumer.tick?.(now)
    }
  }

  private setOnline(online: boolean, reason: string): void {
    this.online = online
    this.offlineReason = online ? '' : reason
    this.hooks.onlineChanged(this, online, reason)
    this.broadcastStatus()
  }

  state(): CameraState {
    if (!this.cam.enabled) return 'disabled'
    if (this.unavailable) return 'unavailable'
    if (this.source?.pull && !this.monitoring) return 'idle'
    if (this.online) return 'online'
    const s = this.source?.info().status
    if (s === 'connecting' || s === 'connected') return 'connecting'
    return 'offline'
  }

  sourceInfo(): SourceInfo {
    return (
      this.source?.info() ?? {
        status: 'stopped',
        lastError: this.unavailable,
        nextRetryAt: null,
        reconnects: 0,
        connections: 0,
      }
    )
  }

  statusMessage(): StreamStatusMessage {
    const info = this.sourceInfo()
    return {
      type: 'status',
      cameraId: this.id,
      state: this.state(),
      online: this.online,
      lastError: info.lastError ?? (this.online ? null : this.offlineReason || this.lastProblem),
      nextRetryAt: info.nextRetryAt,
      lastFrameAt: this.lastFrameWall,
    }
  }

  private broadcastStatus(): void {
    if (this.attachments.size === 0) return
    const msg = this.statusMessage()
    for (const c of this.attachments.keys()) c.status?.(msg)
  }

  /** The camera was deleted or the station is stopping. */
  close(reason: string): void {
    this.cancelLinger()
    this.source?.stop()
    this.monitoring = false
    this.endConsumers(reason)
    this.resolveWaiters(undefined)
  }
}
