/**
 * The station's live-video service (`app.video`): one channel per camera, kept in step with the camera
 * service (each `camera.changed` reloads that one camera); camera health reported to the camera service
 * (which writes it and publishes the committed flips), raised as events; relay state changes sent live;
 * stats. Pull cameras nobody keeps connected are checked now and then (probe/camera-prober.ts), so their
 * health is true whether or not anyone watches.
 */
import type { EventService, LiveHub } from '../services'
import type { CameraService } from '../cameras/service'
import type { RelayCamera } from '../cameras/views'
import type { RowChange } from '../../shared/events/domain-events'
import { publishRelayState, type CameraRelayState } from '../cameras/camera-live'
import { guardStats } from '../cameras/guard-safe'
import { CameraChannel, sourceKey, type PipelineLimits } from './camera-channel'
import type { SourceRegistry } from './sources/registry'
import type { ResolvedFfmpeg } from './ffmpeg/resolve-ffmpeg'
import { KeyframeSnapshots } from './ffmpeg/keyframe-jpeg'
import { StreamTokens } from './stream-tokens'
import type { VideoConfig } from './video-config'
import { RateMeter, type VideoStats } from './video-stats'
import { LatencyHistogram } from '../metrics/histogram'
import { CameraProber } from './probe/camera-prober'

export interface VideoHubDeps {
  /** The relay's view of the cameras, and where health is reported. */
  cameras: Pick<CameraService, 'relay' | 'relayAll' | 'reportHealth'>
  events: Pick<EventService, 'record'>
  live: LiveHub
  config: VideoConfig
  /** The source factory of each camera kind (sources/index.ts: builtInSources). */
  sources: SourceRegistry
  /** Where ffmpeg is (RTSP cameras), or why there is none. */
  ffmpeg?: ResolvedFfmpeg
  /** Bounds of the channels' queues and GOPs (defaults: DEFAULT_PIPELINE_LIMITS). */
  limits?: Partial<PipelineLimits>
  log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
  /** Sees each frame's relay latency (ms), for the Prometheus histogram. */
  observeRelay?: (ms: number) => void
}

/** While online, last_seen_at is refreshed this often (not on every frame). */
const SEEN_REFRESH_MS = 30_000
const TICK_MS = 500

export class VideoHub {
  readonly config: VideoConfig
  readonly tokens: StreamTokens
  /** JPEGs of video cameras' key frames (snapshots), while ffmpeg is there to decode them. */
  readonly snapshots: KeyframeSnapshots | undefined
  private readonly channels = new Map<number, CameraChannel>()
  private readonly keys = new Map<number, string>()
  private readonly rates = new RateMeter()
  /** Time from a frame's arrival to a viewer's socket taking it, over the station's lifetime. */
  private readonly relayLatency = new LatencyHistogram()
  private readonly delivered = (ms: number) => {
    this.relayLatency.record(ms)
    this.deps.observeRelay?.(ms)
  }
  private timers: NodeJS.Timeout[] = []
  private closed = false
  /** Per camera, the state/error/retry last sent live (a change goes out on the next tick). */
  private readonly published = new Map<number, string>()
  private lastRateSample = 0
  /** Checks the pull cameras nobody keeps connected (their health, whether or not anyone watches). */
  private readonly prober: CameraProber
  /** last_seen_at is refreshed at least this often while the camera is confirmed alive. */
  private readonly seenRefreshMs: number

  constructor(private readonly deps: VideoHubDeps) {
    this.config = deps.config
    this.tokens = new StreamTokens(deps.config.streamTokenTtlMs)
    const ffmpeg = deps.ffmpeg
    this.snapshots =
      ffmpeg && 'path' in ffmpeg ? new KeyframeSnapshots({ ffmpegPath: ffmpeg.path }) : undefined
    const c = deps.config
    this.prober = new CameraProber({
      intervalMs: c.probeIntervalMs,
      env: { connectTimeoutMs: c.connectTimeoutMs, tlsVerify: c.tlsVerify, maxFrameBytes: c.maxFrameBytes },
    })
    // Each check a camera answers is written (and so is its confirmation time in the lists).
    this.seenRefreshMs =
      c.probeIntervalMs > 0 ? Math.min(SEEN_REFRESH_MS, c.probeIntervalMs / 2) : SEEN_REFRESH_MS
  }

  start(): void {
    for (const cam of this.deps.cameras.relayAll()) this.apply(cam.id, cam)
    const tick = setInterval(() => this.tick(), TICK_MS)
    const live = setInterval(() => this.publishStats(), this.config.liveStatsIntervalMs)
    tick.unref()
    live.unref()
    this.timers.push(tick, live)
  }

  channel(id: number): CameraChannel | undefined {
    return this.channels.get(id)
  }

  /**
   * A committed change of one camera (a `camera.changed` fact), before the write is acknowledged: a viewer
   * or a push camera may use a camera the moment its creation was answered. Reloads that camera only.
   */
  cameraChanged(id: number, change: RowChange): void {
    if (this.closed || change === 'token') return
    try {
      this.apply(id, change === 'deleted' ? undefined : this.deps.cameras.relay(id))
    } catch (err) {
      this.deps.log.warn({ err, cameraId: id }, 'camera reload failed')
    }
  }

  /** Brings one channel in step with its camera (created, changed, or gone when `cam` is undefined). */
  private apply(id: number, cam: RelayCamera | undefined): void {
    const ch = this.channels.get(id)
    if (!cam) {
      if (!ch) return
      void ch.close('camera deleted')
      this.channels.delete(id)
      this.keys.delete(id)
      this.published.delete(id)
      return
    }
    const key = sourceKey(cam)
    if (!ch) {
      const created = new CameraChannel(cam, {
        config: this.config,
        sources: this.deps.sources,
        hooks: { onlineChanged: this.onlineChanged, delivered: this.delivered },
        ...(this.deps.limits ? { limits: this.deps.limits } : {}),
        env: { ffmpeg: this.deps.ffmpeg, log: this.deps.log },
      })
      this.channels.set(id, created)
      // Not news: the camera list the UI loads already holds it.
      this.published.set(id, statusKey(this.relayState(created, created.online)))
    } else {
      const restart = this.keys.get(id) !== key
      if (restart) this.prober.reset(ch)
      ch.update(cam, restart)
    }
    this.keys.set(id, key)
  }

  private readonly onlineChanged = (ch: CameraChannel, online: boolean, reason: string) => {
    this.deps.log.info({ cameraId: ch.id, online, reason }, online ? 'camera online' : 'camera offline')
    this.persist(ch)
  }

  /**
   * Reports the channel's health if the database differs. Once committed the camera service publishes the
   * flip (with the relay's state as it is then); then the event is raised. Going offline because the camera
   * is disabled raises no event (not news); that is decided when the write commits, so a disable that lands
   * while an earlier write is in flight is quiet too.
   */
  private persist(ch: CameraChannel): void {
    if (ch.persisting || ch.online === ch.persistedOnline || this.closed) return
    const online = ch.online
    const lastSeenAt = ch.confirmedAt
    // The cause of this flip, taken now: by the time the write commits the camera may report another error.
    const cause = online ? '' : ch.offlineCause
    ch.persisting = true
    this.deps.cameras
      .reportHealth({ cameraId: ch.id, online, lastSeenAt, status: () => this.committedStatus(ch, online) })
      .then(
        () => {
          ch.persisting = false
          ch.persistedOnline = online
          ch.persistedSeenAt = lastSeenAt
          if (this.channels.get(ch.id) !== ch) return
          if (online || ch.state() !== 'disabled') void this.raise(ch, online, cause)
          // It may have flipped again while this write was queued.
          if (ch.online !== ch.persistedOnline) this.persist(ch)
        },
        (err: unknown) => {
          ch.persisting = false
          this.deps.log.warn({ err, cameraId: ch.id }, 'camera health not written; retrying')
        },
      )
  }

  /** What goes out with a committed flip to `online`: the relay's state, noted as published. */
  private committedStatus(ch: CameraChannel, online: boolean) {
    if (this.channels.get(ch.id) !== ch) return undefined
    const s = this.relayState(ch, online)
    this.published.set(ch.id, statusKey(s))
    return { state: s.state, lastError: s.lastError, nextRetryAt: s.nextRetryAt }
  }

  /**
   * The relay's view as it goes out live: `online` as committed, with the relay's state, last error and
   * next retry while they agree with it (a flip still waiting for its write goes out once written).
   */
  private relayState(ch: CameraChannel, online: boolean): CameraRelayState {
    if (ch.online !== online) return { cameraId: ch.id, online }
    const m = ch.statusMessage()
    return { cameraId: ch.id, online, state: m.state, lastError: m.lastError, nextRetryAt: m.nextRetryAt }
  }

  /** State changes that do not flip online (connecting, a new error, the next retry) go out live too. */
  private publishStateChange(ch: CameraChannel): void {
    if (ch.persisting || ch.online !== ch.persistedOnline) return
    const s = this.relayState(ch, ch.persistedOnline)
    const key = statusKey(s)
    if (this.published.get(ch.id) === key) return
    this.published.set(ch.id, key)
    publishRelayState(this.deps.live, s)
  }

  private async raise(ch: CameraChannel, online: boolean, cause: string): Promise<void> {
    const events = this.deps.events
    const name = ch.cam.name
    try {
      await events.record(
        online
          ? {
              type: 'camera.online',
              severity: 'info',
              sourceKind: 'camera',
              sourceId: String(ch.id),
              message: `Camera "${name}" is online`,
            }
          : {
              type: 'camera.offline',
              severity: 'warning',
              sourceKind: 'camera',
              sourceId: String(ch.id),
              message: `Camera "${name}" went offline${cause ? `: ${cause}` : ''}`,
            },
      )
    } catch (err) {
      this.deps.log.warn({ err, cameraId: ch.id }, 'camera event not recorded')
    }
  }

  private tick(): void {
    const now = performance.now()
    for (const ch of this.channels.values()) {
      ch.tick(now)
      this.publishStateChange(ch)
      // Retry a health write that failed, and refresh last_seen_at now and then while online (a refresh
      // publishes nothing: the lists show it on their next load).
      if (ch.online !== ch.persistedOnline) this.persist(ch)
      else if (
        ch.online &&
        !ch.persisting &&
        ch.confirmedAt !== null &&
        ch.confirmedAt - (ch.persistedSeenAt ?? 0) > this.seenRefreshMs
      ) {
        const seenAt = ch.confirmedAt
        ch.persisting = true
        this.deps.cameras.reportHealth({ cameraId: ch.id, online: null, lastSeenAt: seenAt }).then(
          () => {
            ch.persisting = false
            ch.persistedSeenAt = seenAt
          },
          () => {
            ch.persisting = false
          },
        )
      }
    }
    this.prober.tick(this.channels.values(), now)
    if (now - this.lastRateSample >= 950) {
      this.lastRateSample = now
      this.rates.sample(this.channels.values(), now)
    }
  }

  stats(): VideoStats {
    const now = performance.now()
    const cameras = [...this.channels.values()].map((ch) => this.rates.cameraStats(ch, now))
    return {
      cameras,
      viewers: cameras.reduce((n, c) => n + c.viewers.total, 0),
      maxViewers: this.config.maxViewers,
      streamTokens: {
        active: this.tokens.size,
        issued: this.tokens.issued,
        used: this.tokens.used,
        refused: this.tokens.refused,
      },
      relayLatencyMs: this.relayLatency.summary(),
      totals: {
        fpsIn: Math.round(cameras.reduce((n, c) => n + c.fpsIn, 0) * 10) / 10,
        bytesInPerSec: cameras.reduce((n, c) => n + c.bytesInPerSec, 0),
        bytesOutPerSec: cameras.reduce((n, c) => n + c.bytesOutPerSec, 0),
      },
    }
  }

  private publishStats(): void {
    const live = this.deps.live
    if (live.subscribers === 0 || this.channels.size === 0) return
    const stats = this.stats()
    live.publish({ type: 'stats', stats: { video: guardStats(stats) } })
    if (stats.cameras.some((c) => c.lastError))
      live.publish({ type: 'stats', stats: { video: stats } }, { adminOnly: true })
  }

  /**
   * Closes every viewer and camera connection (before the HTTP server closes); resolves once every camera
   * process (ffmpeg) has exited, which FfmpegProcess bounds (SIGTERM, SIGKILL after its grace).
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.prober.close()
    this.snapshots?.close()
    const gone = [...this.channels.values()].map((ch) => ch.close('station stopping'))
    this.channels.clear()
    await Promise.all(gone)
  }
}

function statusKey(m: {
  online: boolean
  state?: string
  lastError?: string | null
  nextRetryAt?: number | null
}) {
  return `${m.online}|${m.state ?? ''}|${m.lastError ?? ''}|${m.nextRetryAt ?? ''}`
}
