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
 * while units arrive, offline after `offlineAfterMs` without one; while a pull camera is not connected,
 * the station's periodic check (probe/camera-prober.ts) says, through `probed`. `confirmedAt`: when the
 * camera was last seen alive (a unit, or a check it answered).
 */
import { jpegDimensions } from './jpeg'
import type { RelayCamera } from '../cameras/views'
import type { VideoConfig } from './video-config'
import type { SourceInfo, SourceSink } from './sources/source'
import { PushSource } from './sources/push-source'
import { sourceEnv, type SourceEnv, type SourceRegistry } from './sources/registry'
import type { Attachment } from './pipeline/attachment'
import {
  newCounters,
  type AttachOptions,
  type Consumer,
  type ConsumerCounters,
  type ConsumerInfo,
  type Detach,
  type UnitSource,
} from './pipeline/consumer'
import type { InitSegment, JpegUnit, VideoFragment, VideoUnit } from './pipeline/units'
import { StreamLane, type LaneOwner, type StreamName } from './stream-lane'
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
  /** What sources get besides the video settings (ffmpeg for RTSP cameras). */
  env?: Partial<SourceEnv>
}

/** What makes a camera's source differ: a change in any of these restarts it. */
export function sourceKey(c: RelayCamera): string {
  return JSON.stringify([c.kind, c.url, c.subUrl, c.transport, c.username, c.password, c.enabled, c.fps])
}

interface LaneEntry {
  lane: StreamLane
  a: Attachment
  /** As attached (kept when the consumer moves to a new lane of the same name: its queue bounds). */
  opts: AttachOptions
}

/** Attaching to one of the camera's streams (default: main). */
export interface ChannelAttachOptions extends AttachOptions {
  stream?: StreamName
}

export class CameraChannel implements SourceSink, UnitSource, LaneOwner {
  readonly id: number
  cam: RelayCamera
  private lanes = new Map<StreamName, StreamLane>()
  /** Which lane each consumer is attached to. */
  private readonly laneOf = new Map<Consumer, LaneEntry>()
  private viewerTotal = 0
  /** performance.now() when the latest unit (of any stream) arrived. */
  lastUnitAt: number | null = null
  /** Health as the relay sees it (units arriving on any stream). */
  online: boolean
  /** What the database holds (the health reports keep it in step). */
  persistedOnline: boolean
  persistedSeenAt: number | null
  persisting = false
  private lastFrameAt = performance.now()
  lastFrameWall: number | null
  /** Epoch ms of the last check the camera answered (pull cameras nobody watches). */
  private probeOkAt: number | null = null
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
  readonly sources: SourceRegistry
  readonly env: SourceEnv
  private readonly hooks: ChannelHooks
  readonly limits: PipelineLimits

  constructor(cam: RelayCamera, opts: ChannelOptions) {
    this.id = cam.id
    this.cam = cam
    this.config = opts.config
    this.sources = opts.sources
    this.env = { ...sourceEnv(opts.config), ...opts.env }
    this.hooks = opts.hooks
    this.limits = { ...DEFAULT_PIPELINE_LIMITS, ...opts.limits }
    this.online = cam.isOnline
    this.persistedOnline = cam.isOnline
    this.persistedSeenAt = cam.lastSeenAt
    this.lastFrameWall = cam.lastSeenAt
    this.createLanes()
  }

  get kind() {
    return this.cam.kind
  }

  // --- LaneOwner -----------------------------------------------------------------------------------

  get idleLingerMs(): number {
    return this.config.idleLingerMs
  }

  get out(): Record<string, ConsumerCounters> {
    return this.totals.out
  }

  get delivered(): (ms: number) => void {
    return this.hooks.delivered
  }

  arrived(lane: StreamLane, u: JpegUnit | VideoUnit, now: number): void {
    this.lastFrameAt = now
    this.lastUnitAt = u.receivedAt
    this.lastFrameWall = u.wallAt
    this.totals.framesIn++
    this.totals.bytesIn += u.data.length
    if (u.kind === 'jpeg' && (this.dimensions === undefined || lane.lastSeq % 250 === 0)) {
      this.dimensions = jpegDimensions(u.data)
    } else if (u.kind === 'video' && u.keyframe && lane === this.primary && lane.initSegment?.width) {
      const { width, height = 0 } = lane.initSegment
      if (this.dimensions?.width !== width) this.dimensions = { width, height }
    }
    if (!this.online) this.setOnline(true, 'frames arriving')
  }

  problem(message: string): void {
    this.totals.badFrames++
    this.lastProblem = message
  }

  laneChanged(_lane: StreamLane, started?: boolean): void {
    // A stream that starts gets the full offline delay from now before the camera is judged.
    if (started) this.lastFrameAt = performance.now()
    this.broadcastStatus()
  }

  status(): StreamStatusMessage {
    return this.statusMessage()
  }

  // --- Lanes -----------------------------------------------------------------------------------------

  /** The streams a camera has: main; for RTSP, sub (with a sub-stream URL) and the transcoded fallback. */
  private laneNames(): StreamName[] {
    if (this.cam.kind !== 'rtsp') return ['main']
    return this.cam.subUrl ? ['main', 'sub', 'transcoded'] : ['main', 'transcoded']
  }

  private createLanes(): void {
    this.lanes = new Map(this.laneNames().map((n) => [n, new StreamLane(n, this)]))
    for (const lane of this.lanes.values()) lane.createSource()
  }

  private get main(): StreamLane {
    return this.lanes.get('main')!
  }

  /** The lane serving `stream`: sub falls back to main for a camera without a sub stream. */
  lane(stream: StreamName = 'main'): StreamLane | undefined {
    return this.lanes.get(stream) ?? (stream === 'sub' ? this.main : undefined)
  }

  /** Whether the camera has a stream of its own for `stream` (sub: a sub-stream URL). */
  hasStream(stream: StreamName): boolean {
    return this.lanes.has(stream)
  }

  get isPush(): boolean {
    return this.main.source instanceof PushSource
  }

  get pushSource(): PushSource | undefined {
    const s = this.main.source
    return s instanceof PushSource ? s : undefined
  }

  /** What the source produces (undefined without one). */
  get media(): 'jpeg' | 'video' | undefined {
    return this.main.source?.media
  }

  /** Why consumers may not attach (the camera is disabled, or has no usable source); null when they may. */
  get usable(): string | null {
    if (!this.cam.enabled) return 'camera is disabled'
    return this.main.unavailable
  }

  /** The latest JPEG (JPEG cameras). */
  get latest(): JpegUnit | undefined {
    return this.main.latest
  }

  /** Applies a changed camera row; `restart` when the source settings changed. */
  update(cam: RelayCamera, restart: boolean): void {
    const wasEnabled = this.cam.enabled
    const media = this.media
    this.cam = cam
    if (!restart) {
      for (const lane of this.lanes.values()) lane.updateSource()
      return
    }
    for (const lane of this.lanes.values()) void lane.close()
    if (!cam.enabled) this.endConsumers('camera disabled')
    if (wasEnabled && !cam.enabled && this.online) this.setOnline(false, 'camera disabled')
    // Consumers move to the new lanes of the same name (their next unit is the new init segment).
    this.createLanes()
    if (!cam.enabled) return
    if (this.usable) return this.endConsumers('camera unavailable')
    if (media !== undefined && this.media !== media) return this.endConsumers('camera kind changed')
    for (const [consumer, entry] of [...this.laneOf]) {
      const next = this.lanes.get(entry.lane.name)
      if (!next) {
        this.endConsumer(consumer, 'camera stream removed')
        continue
      }
      entry.lane.remove(consumer, entry.a)
      this.join(next, consumer, entry.opts, entry)
      next.prime(consumer, entry.a, this.config.offlineAfterMs)
    }
  }

  // --- The main stream's sink (push routes feed it) -----------------------------------------------

  jpeg(data: Buffer, receivedAt?: number): void {
    this.main.jpeg(data, receivedAt)
  }

  init(segment: InitSegment): void {
    this.main.init(segment)
  }

  video(fragment: VideoFragment, receivedAt?: number): void {
    this.main.video(fragment, receivedAt)
  }

  statusChanged(): void {
    this.main.statusChanged()
  }

  get lastSeq(): number {
    return this.main.lastSeq
  }

  // --- Consumers ----------------------------------------------------------------------------------

  /**
   * Attaches a consumer (a viewer, a recorder, a detector) to one of the camera's streams (default main):
   * it gets the camera's status, then what it needs to start at once (the latest JPEG if recent, or the
   * init segment and the current GOP), then every unit. Keeps a pull stream connected while attached.
   * Answers the function that detaches it.
   */
  attach(consumer: Consumer, opts: ChannelAttachOptions = {}): Detach {
    if (this.laneOf.has(consumer)) throw new Error('this consumer is already attached')
    const lane = this.lane(opts.stream ?? 'main')
    if (!lane) throw new Error(`camera ${this.id} has no ${opts.stream} stream`)
    return this.attachTo(lane, consumer, opts)
  }

  private attachTo(lane: StreamLane, consumer: Consumer, opts: AttachOptions): Detach {
    const entry = this.join(lane, consumer, opts)
    if (consumer.role === 'viewer') this.viewerTotal++
    lane.prime(consumer, entry.a, this.config.offlineAfterMs)
    return () => {
      if (this.laneOf.get(consumer) !== entry) return
      this.laneOf.delete(consumer)
      if (consumer.role === 'viewer') this.viewerTotal--
      entry.lane.remove(consumer, entry.a)
    }
  }

  /** Adds the consumer to a lane and notes where it is (before anything is delivered to it). */
  private join(lane: StreamLane, consumer: Consumer, opts: AttachOptions, entry?: LaneEntry): LaneEntry {
    const a = lane.add(consumer, opts, () => this.endConsumer(consumer, 'consumer failed'))
    const e = Object.assign(entry ?? { lane, a, opts }, { lane, a, opts })
    this.laneOf.set(consumer, e)
    return e
  }

  /** The stream a consumer is attached to. */
  streamOf(consumer: Consumer): StreamName | undefined {
    return this.laneOf.get(consumer)?.lane.name
  }

  /** Consumers attached now, with their figures. */
  consumers(): ConsumerInfo[] {
    return [...this.laneOf.values()].map(({ a }) => a.info())
  }

  get consumerCount(): number {
    return this.laneOf.size
  }

  get viewerCount(): number {
    return this.viewerTotal
  }

  /** The GOP a consumer joining the main stream now would start with (tests and figures). */
  get gopBytes(): number {
    return this.main.gop.bytes
  }

  /** Lets go of a consumer and tells it why. */
  private endConsumer(consumer: Consumer, reason: string): void {
    const entry = this.laneOf.get(consumer)
    if (!entry) return
    this.laneOf.delete(consumer)
    if (consumer.role === 'viewer') this.viewerTotal--
    entry.lane.remove(consumer, entry.a)
    consumer.end?.(reason)
  }

  private endConsumers(reason: string): void {
    for (const c of [...this.laneOf.keys()]) this.endConsumer(c, reason)
  }

  /**
   * The latest JPEG if recent, otherwise the next one (connecting a pull camera for it), within `waitMs`.
   * A video camera has none: see `keyframe`.
   */
  async snapshot(waitMs: number): Promise<JpegUnit | undefined> {
    const latest = this.main.latest
    if (latest && performance.now() - latest.receivedAt < this.config.offlineAfterMs) return latest
    if (this.usable || this.media !== 'jpeg') return undefined
    return this.main.nextJpeg(waitMs)
  }

  /**
   * A video camera's latest key frame with its init segment (for a snapshot): from a stream that runs now
   * (the main one first: the best picture), else the next one of the sub stream (cheaper to connect),
   * within `waitMs`.
   */
  async keyframe(waitMs: number): Promise<{ init: InitSegment; unit: VideoUnit } | undefined> {
    if (this.usable || this.media !== 'video') return undefined
    const fresh = (u: VideoUnit | undefined) =>
      u !== undefined && performance.now() - u.receivedAt < this.config.offlineAfterMs
    for (const name of ['main', 'sub'] as const) {
      const lane = this.lanes.get(name)
      const key = lane?.gop.units[0]
      if (lane?.initSegment && fresh(key)) return { init: lane.initSegment, unit: key! }
    }
    const lane = this.lanes.get('sub') ?? this.main
    const unit = await lane.nextKeyframe(waitMs)
    return unit && lane.initSegment ? { init: lane.initSegment, unit } : undefined
  }

  /** Health and consumer checks; called about twice a second for every camera. */
  tick(now: number): void {
    if (this.monitoring && this.online && now - this.lastFrameAt > this.config.offlineAfterMs) {
      const why = this.sourceInfo().lastError ?? this.lastProblem
      this.setOnline(
        false,
        `no frame for ${Math.round(this.config.offlineAfterMs / 1000)} s${why ? ` (${why})` : ''}`,
      )
    }
    for (const [consumer, { a }] of [...this.laneOf]) {
      if (a.stalledFor(now) > this.config.viewerStallMs) {
        if (consumer.role === 'viewer') this.totals.stalledViewersDropped++
        this.endConsumer(consumer, `${consumer.role} stalled`)
      } else consumer.tick?.(now)
    }
  }

  /** When the camera was last seen alive (epoch ms): a unit received, or a check it answered. */
  get confirmedAt(): number | null {
    return Math.max(this.lastFrameWall ?? 0, this.probeOkAt ?? 0) || null
  }

  /** A pull camera nobody keeps connected: only a check can tell whether it is alive. */
  get probeWanted(): boolean {
    return this.cam.enabled && this.usable === null && this.main.pull && !this.monitoring
  }

  /**
   * The answer of a check (null: the camera answered; else why not). Health follows it as it follows
   * frames: online once the camera answered, offline with the reason when it did not. Ignored while a
   * stream runs (its frames speak for the camera).
   */
  probed(error: string | null): void {
    if (this.monitoring) return
    if (error === null) {
      this.probeOkAt = Date.now()
      this.offlineReason = ''
      if (!this.online) this.setOnline(true, 'camera answered a check')
    } else if (this.online) {
      this.setOnline(false, `camera check failed: ${error}`)
    } else {
      this.offlineReason = `camera check failed: ${error}`
    }
  }

  /** Some stream of the camera is connected or trying to be. */
  private get monitoring(): boolean {
    for (const lane of this.lanes.values()) if (lane.monitoring) return true
    return false
  }

  /** The lane whose source speaks for the camera: the first that runs (main, sub, transcoded), else main. */
  private get primary(): StreamLane {
    for (const lane of this.lanes.values()) if (lane.monitoring) return lane
    return this.main
  }

  /** Why this outage began (empty while online): the cause of this flip, never an older error. */
  get offlineCause(): string {
    return this.offlineReason
  }

  private setOnline(online: boolean, reason: string): void {
    this.online = online
    this.offlineReason = online ? '' : reason
    this.hooks.onlineChanged(this, online, reason)
    this.broadcastStatus()
  }

  state(): CameraState {
    if (!this.cam.enabled) return 'disabled'
    if (this.main.unavailable) return 'unavailable'
    if (this.main.pull && !this.monitoring) return 'idle'
    if (this.online) return 'online'
    const s = this.primary.source?.info().status
    if (s === 'connecting' || s === 'connected') return 'connecting'
    return 'offline'
  }

  sourceInfo(): SourceInfo {
    const primary = this.primary
    const info = primary.source?.info() ?? {
      status: 'stopped' as const,
      lastError: primary.unavailable,
      nextRetryAt: null,
      reconnects: 0,
      connections: 0,
    }
    if (this.lanes.size === 1) return info
    let connections = 0
    let reconnects = 0
    for (const lane of this.lanes.values()) {
      const i = lane.source?.info()
      connections += i?.connections ?? 0
      reconnects += i?.reconnects ?? 0
    }
    return { ...info, connections, reconnects }
  }

  /** Sources of every stream (figures). */
  streams(): { stream: StreamName; monitoring: boolean; info: SourceInfo | null; codec: string | null }[] {
    return [...this.lanes.values()].map((l) => ({
      stream: l.name,
      monitoring: l.monitoring,
      info: l.source?.info() ?? null,
      codec: l.initSegment?.codecString ?? null,
    }))
  }

  statusMessage(): StreamStatusMessage {
    const info = this.sourceInfo()
    return {
      type: 'status',
      cameraId: this.id,
      state: this.state(),
      online: this.online,
      // Not connected: the last check speaks (a stopped source's error may be older than it).
      lastError: this.monitoring
        ? (info.lastError ?? (this.online ? null : this.offlineReason || this.lastProblem))
        : this.online
          ? null
          : this.offlineReason || info.lastError || this.lastProblem,
      nextRetryAt: info.nextRetryAt,
      lastFrameAt: this.lastFrameWall,
    }
  }

  private broadcastStatus(): void {
    if (this.laneOf.size === 0) return
    const msg = this.statusMessage()
    for (const c of this.laneOf.keys()) c.status?.(msg)
  }

  /** The camera was deleted or the station is stopping; resolves once its sources are gone (ffmpeg exited). */
  close(reason: string): Promise<void> {
    const gone = [...this.lanes.values()].map((lane) => lane.close())
    this.endConsumers(reason)
    return Promise.all(gone).then(() => undefined)
  }
}
