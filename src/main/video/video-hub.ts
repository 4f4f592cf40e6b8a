/**
 * The station's live-video service (`app.video`): one channel per camera, kept in step with the cameras
 * table; camera health written through a batched write queue, raised as events, sent live; stats.
 */
import type { Db } from '../database/open'
import type { Writer } from '../database/writer'
import type { ChangeBus, EventService, LiveHub, QueueRegistry } from '../services'
import { GroupCommitQueue } from '../queues/group-commit-queue'
import { CameraChannel } from './camera-channel'
import { CameraStore, sourceKey, type HealthUpdate } from './camera-store'
import { StreamTokens } from './stream-tokens'
import type { VideoConfig } from './video-config'
import { RateMeter, type VideoStats } from './video-stats'
import { LatencyHistogram } from '../metrics/histogram'
import type { LiveMessage } from '../../shared/schemas/live'

export interface VideoHubDeps {
  db: Db
  /** Commits camera health (the writer thread, or the main connection when inline). */
  writer: Writer
  config: VideoConfig
  queues: QueueRegistry
  changes: ChangeBus
  /** Other services, looked up when needed (they may register after this one). */
  events: () => EventService | undefined
  live: () => LiveHub | undefined
  log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
  /** Sees each frame's relay latency (ms), for the Prometheus histogram. */
  observeRelay?: (ms: number) => void
}

/** While online, last_seen_at is refreshed this often (not on every frame). */
const SEEN_REFRESH_MS = 30_000
const TICK_MS = 500

export class VideoHub {
  readonly config: VideoConfig
  readonly store: CameraStore
  readonly tokens: StreamTokens
  private readonly channels = new Map<number, CameraChannel>()
  private readonly keys = new Map<number, string>()
  private readonly queue: GroupCommitQueue<HealthUpdate>
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

  constructor(private readonly deps: VideoHubDeps) {
    this.config = deps.config
    this.store = new CameraStore(deps.db)
    this.tokens = new StreamTokens(deps.config.streamTokenTtlMs)
    this.queue = deps.queues.add(
      new GroupCommitQueue<HealthUpdate>(
        'camera-health',
        { maxWaitMs: 100, batchSize: 500, maxPending: 10_000 },
        (items) =>
          deps.writer.run('cameras.health', items).then(() => {
            deps.changes.emit(['cameras'])
          }),
        { onError: (err) => deps.log.warn({ err }, 'camera health write failed') },
      ),
    )
  }

  start(): void {
    this.reload()
    const tick = setInterval(() => this.tick(), TICK_MS)
    const live = setInterval(() => this.publishStats(), this.config.liveStatsIntervalMs)
    tick.unref()
    live.unref()
    this.timers.push(tick, live)
  }

  channel(id: number): CameraChannel | undefined {
    return this.channels.get(id)
  }

  get viewerCount(): number {
    let n = 0
    for (const ch of this.channels.values()) n += ch.viewers.size
    return n
  }

  /**
   * Called on every committed change to the cameras table, before the write is acknowledged: a viewer
   * or a push camera may use a camera the moment its creation was answered.
   */
  camerasChanged(): void {
    if (this.closed) return
    try {
      this.reload()
    } catch (err) {
      this.deps.log.warn({ err }, 'camera reload failed')
    }
  }

  /** Brings the channels in step with the cameras table (create, update, delete). */
  reload(): void {
    const rows = this.store.all()
    const seen = new Set<number>()
    for (const row of rows) {
      seen.add(row.id)
      const key = sourceKey(row)
      const ch = this.channels.get(row.id)
      if (!ch) {
        const created = new CameraChannel(row, this.config, {
          onlineChanged: this.onlineChanged,
          delivered: this.delivered,
        })
        this.channels.set(row.id, created)
        // Not news: the camera list the UI loads already holds it.
        this.published.set(row.id, statusKey(this.liveStatus(created, created.online)))
      } else {
        ch.update(row, this.keys.get(row.id) !== key)
      }
      this.keys.set(row.id, key)
    }
    for (const [id, ch] of this.channels) {
      if (seen.has(id)) continue
      ch.close('camera deleted')
      this.channels.delete(id)
      this.keys.delete(id)
      this.published.delete(id)
    }
  }

  private readonly onlineChanged = (ch: CameraChannel, online: boolean, reason: string) => {
    this.deps.log.info({ cameraId: ch.id, online, reason }, online ? 'camera online' : 'camera offline')
    this.persist(ch)
  }

  /**
   * Writes the channel's health if the database differs; after commit, raises the event and tells the
   * live channel. Going offline because the camera is disabled raises no event (not news); that is
   * decided when the write commits, so a disable that lands while an earlier write is in flight is quiet too.
   */
  private persist(ch: CameraChannel): void {
    if (ch.persisting || ch.online === ch.persistedOnline || this.closed) return
    const online = ch.online
    const lastSeenAt = ch.lastFrameWall
    ch.persisting = true
    this.queue.enqueue([{ id: ch.id, online, lastSeenAt }]).then(
      () => {
        ch.persisting = false
        ch.persistedOnline = online
        ch.persistedSeenAt = lastSeenAt
        if (this.channels.get(ch.id) !== ch) return
        this.publishStatus(ch, online)
        if (online || ch.state() !== 'disabled') void this.raise(ch, online)
        // It may have flipped again while this write was queued.
        if (ch.online !== ch.persistedOnline) this.persist(ch)
      },
      (err: unknown) => {
        ch.persisting = false
        this.deps.log.warn({ err, cameraId: ch.id }, 'camera health not written; retrying')
      },
    )
  }

  /**
   * The `camera.status` live message: `online` as committed, with the relay's state, last error and next
   * retry while they agree with it (a flip still waiting for its write is sent once written).
   */
  private liveStatus(ch: CameraChannel, online: boolean): LiveMessage & { type: 'camera.status' } {
    if (ch.online !== online) return { type: 'camera.status', cameraId: ch.id, online }
    const m = ch.statusMessage()
    return {
      type: 'camera.status',
      cameraId: ch.id,
      online,
      state: m.state,
      lastError: m.lastError,
      nextRetryAt: m.nextRetryAt,
    }
  }

  private publishStatus(ch: CameraChannel, online: boolean): void {
    const msg = this.liveStatus(ch, online)
    this.published.set(ch.id, statusKey(msg))
    this.deps.live()?.publish(msg)
  }

  /** State changes that do not flip online (connecting, a new error, the next retry) go out live too. */
  private publishStateChange(ch: CameraChannel): void {
    if (ch.persisting || ch.online !== ch.persistedOnline) return
    const msg = this.liveStatus(ch, ch.persistedOnline)
    const key = statusKey(msg)
    if (this.published.get(ch.id) === key) return
    this.published.set(ch.id, key)
    this.deps.live()?.publish(msg)
  }

  private async raise(ch: CameraChannel, online: boolean): Promise<void> {
    const events = this.deps.events()
    if (!events) return
    const msg = ch.statusMessage()
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
              message: `Camera "${name}" went offline${msg.lastError ? `: ${msg.lastError}` : ''}`,
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
      // Retry a health write that failed, and refresh last_seen_at now and then while online.
      if (ch.online !== ch.persistedOnline) this.persist(ch)
      else if (
        ch.online &&
        !ch.persisting &&
        ch.lastFrameWall !== null &&
        ch.lastFrameWall - (ch.persistedSeenAt ?? 0) > SEEN_REFRESH_MS
      ) {
        const seenAt = ch.lastFrameWall
        ch.persisting = true
        this.queue.enqueue([{ id: ch.id, online: null, lastSeenAt: seenAt }]).then(
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
    const live = this.deps.live()
    if (!live || live.subscribers === 0 || this.channels.size === 0) return
    live.publish({ type: 'stats', stats: { video: this.stats() } })
  }

  /** Closes every viewer and camera connection (before the HTTP server closes). */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    for (const ch of this.channels.values()) ch.close('station stopping')
    this.channels.clear()
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
