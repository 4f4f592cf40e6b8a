/**
 * One camera's relay: its single source, its viewers, its latest frame and its health.
 *
 * Every frame goes to every viewer as the same Buffer (no copy, no re-encoding); each viewer keeps at most
 * one frame pending. A pull camera is connected only while someone watches (or a snapshot is waiting),
 * plus a short linger, unless it is set to stay connected. Health: online while frames arrive, offline
 * after `offlineAfterMs` without one.
 */
import { jpegDimensions } from './jpeg'
import { splitCameraUrl } from './camera-http'
import type { RelayCamera } from '../cameras/views'
import type { VideoConfig } from './video-config'
import type { CameraSource, SourceInfo, SourceSink } from './sources/source'
import { MjpegSource } from './sources/mjpeg-source'
import { SnapshotSource } from './sources/snapshot-source'
import { PushSource } from './sources/push-source'
import type { Frame, Viewer, ViewerClass, ViewerCounters } from './viewers'
import type { CameraState } from '../../shared/schemas/video'

/** disabled · unavailable (no usable source: RTSP, bad URL) · idle (pull, nobody watching) · connecting · online · offline */
export type { CameraState } from '../../shared/schemas/video'

export interface ChannelHooks {
  /** Health flipped (going offline because the camera was disabled is not news: the hub checks `state()`). */
  onlineChanged(ch: CameraChannel, online: boolean, reason: string): void
  /** A viewer's socket took a frame `ms` after the station received it. */
  delivered(ms: number): void
}

/** What makes a camera's source differ: a change in any of these restarts it. */
export function sourceKey(c: RelayCamera): string {
  return JSON.stringify([c.kind, c.url, c.username, c.password, c.enabled, c.fps])
}

const newCounters = (): ViewerCounters => ({ sent: 0, bytes: 0, skipped: 0 })

export class CameraChannel implements SourceSink {
  readonly id: number
  cam: RelayCamera
  private source: CameraSource | null = null
  private unavailable: string | null = null
  readonly viewers = new Set<Viewer>()
  latest: Frame | undefined
  private seq = 0
  /** Health as the relay sees it (frames arriving). */
  online: boolean
  /** What the database holds (the status writer keeps it in step). */
  persistedOnline: boolean
  persistedSeenAt: number | null
  persisting = false
  private lastFrameAt = performance.now()
  lastFrameWall: number | null
  private monitoring = false
  private lingerTimer: NodeJS.Timeout | undefined
  private holds = 0
  private readonly waiters = new Set<(f: Frame | undefined) => void>()
  dimensions: { width: number; height: number } | undefined
  readonly totals = {
    framesIn: 0,
    bytesIn: 0,
    badFrames: 0,
    stalledViewersDropped: 0,
    snapshotsServed: 0,
    out: { full: newCounters(), reduced: newCounters() } as Record<ViewerClass, ViewerCounters>,
  }
  lastProblem: string | null = null
  private offlineReason = ''

  constructor(
    cam: RelayCamera,
    private readonly config: VideoConfig,
    private readonly hooks: ChannelHooks,
  ) {
    this.id = cam.id
    this.cam = cam
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

  /** Whether viewers may attach (the camera exists, is enabled, and has a usable source). */
  get usable(): string | null {
    if (!this.cam.enabled) return 'camera is disabled'
    return this.unavailable
  }

  private createSource(): void {
    this.unavailable = null
    const c = this.cam
    const timings = {
      backoffMinMs: this.config.backoffMinMs,
      backoffMaxMs: this.config.backoffMaxMs,
      frameTimeoutMs: this.config.offlineAfterMs,
    }
    const http = { connectTimeoutMs: this.config.connectTimeoutMs, tlsVerify: this.config.tlsVerify }
    try {
      if (c.kind === 'push') this.source = new PushSource()
      else if (c.kind === 'mjpeg' || c.kind === 'snapshot') {
        if (!c.url) throw new Error('no URL configured')
        const { url, creds } = splitCameraUrl(c.url, c.username, c.password)
        this.source =
          c.kind === 'mjpeg'
            ? new MjpegSource(url, creds, this.config.maxFrameBytes, http, this, timings)
            : new SnapshotSource(url, creds, c.fps, this.config.maxFrameBytes, http, this, timings)
      } else {
        this.source = null
        this.unavailable = 'RTSP cameras are not relayed yet (they come with recording)'
      }
    } catch (err) {
      this.source = null
      this.unavailable = `camera URL unusable: ${err instanceof Error ? err.message : String(err)}`
    }
    this.updateSource()
  }

  /** Applies a changed camera row; `restart` when the source settings changed. */
  update(cam: RelayCamera, restart: boolean): void {
    const wasEnabled = this.cam.enabled
    this.cam = cam
    if (!restart) {
      this.updateSource()
      return
    }
    this.source?.stop()
    this.source = null
    this.monitoring = false
    if (!cam.enabled || cam.kind === 'rtsp')
      this.closeViewers(cam.enabled ? 'camera kind changed' : 'camera disabled')
    if (wasEnabled && !cam.enabled && this.online) this.setOnline(false, 'camera disabled')
    this.createSource()
  }

  /** Does this channel want its pull source connected right now? */
  private get wanted(): boolean {
    if (!this.cam.enabled || !this.source) return false
    if (!this.source.pull) return true
    return this.cam.stayConnected || this.viewers.size > 0 || this.holds > 0 || this.lingerTimer !== undefined
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
    }
  }

  /**
   * A frame from the source (pull) or the push routes. `arrivedAt` (performance.now()) is when its
   * request began arriving, for push over HTTP: the relay latency then counts the station's whole share.
   */
  frame(data: Buffer, arrivedAt?: number): void {
    const now = performance.now()
    const f: Frame = { data, seq: ++this.seq, at: arrivedAt ?? now, wallAt: Date.now() }
    if (this.latest === undefined || f.seq % 250 === 0) this.dimensions = jpegDimensions(data)
    this.latest = f
    this.lastFrameAt = now
    this.lastFrameWall = f.wallAt
    this.totals.framesIn++
    this.totals.bytesIn += data.length
    if (!this.online) this.setOnline(true, 'frames arriving')
    for (const v of this.viewers) v.offer(f)
    if (this.waiters.size > 0) this.resolveWaiters(f)
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

  private resolveWaiters(f: Frame | undefined): void {
    for (const w of this.waiters) w(f)
    this.waiters.clear()
  }

  get lastSeq(): number {
    return this.seq
  }

  addViewer(v: Viewer): void {
    this.viewers.add(v)
    v.totals = this.totals.out[v.cls]
    v.onClose = () => this.removeViewer(v)
    v.onDelivered = this.hooks.delivered
    this.cancelLinger()
    this.updateSource()
    v.status(this.statusMessage())
    // Show something at once: the latest frame, if it is recent.
    if (this.latest && performance.now() - this.latest.at < this.config.offlineAfterMs) v.offer(this.latest)
  }

  private removeViewer(v: Viewer): void {
    if (!this.viewers.delete(v)) return
    if (this.viewers.size === 0) this.linger()
  }

  private linger(): void {
    if (!this.source?.pull || this.cam.stayConnected || this.holds > 0 || this.viewers.size > 0) return
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

  /** The latest frame if recent, otherwise the next one (connecting a pull camera for it), within `waitMs`. */
  async snapshot(waitMs: number): Promise<Frame | undefined> {
    if (this.latest && performance.now() - this.latest.at < this.config.offlineAfterMs) return this.latest
    if (this.usable) return undefined
    this.holds++
    this.cancelLinger()
    this.updateSource()
    try {
      // Already failing and waiting to retry: no point in waiting here.
      if (this.source?.info().status === 'waiting') return undefined
      return await new Promise<Frame | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters.delete(done)
          resolve(undefined)
        }, waitMs)
        const done = (f: Frame | undefined) => {
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

  /** Health and viewer checks; called about twice a second for every camera. */
  tick(now: number): void {
    if (this.monitoring && this.online && now - this.lastFrameAt > this.config.offlineAfterMs) {
      const why = this.source?.info().lastError ?? this.lastProblem
      this.setOnline(
        false,
        `no frame for ${Math.round(this.config.offlineAfterMs / 1000)} s${why ? ` (${why})` : ''}`,
      )
    }
    for (const v of this.viewers) {
      if (v.stalledFor(now) > this.config.viewerStallMs) {
        this.totals.stalledViewersDropped++
        v.close('viewer stalled')
      } else v.keepAlive(now)
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

  statusMessage() {
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
    if (this.viewers.size === 0) return
    const msg = this.statusMessage()
    for (const v of this.viewers) v.status(msg)
  }

  private closeViewers(reason: string): void {
    for (const v of [...this.viewers]) v.close(reason)
  }

  /** The camera was deleted or the station is stopping. */
  close(reason: string): void {
    this.cancelLinger()
    this.source?.stop()
    this.monitoring = false
    this.closeViewers(reason)
    this.resolveWaiters(undefined)
  }
}
