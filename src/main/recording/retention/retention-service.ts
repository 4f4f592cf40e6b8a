/**
 * `app.retention`: keeps the recording index within its limits and answers storage figures.
 *
 * - A pass (./retention-pass.ts) runs every minute, at once on `runSoon()`, and soon (at most every
 *   `soonSpacingMs`) when a newly indexed segment puts a camera over its bytes or all cameras over the
 *   quota, or when the free-space check (every `volumeCheckMs`, one `statfs`) finds the volume below its
 *   reserve. Passes never overlap; a request during one runs another right after it.
 * - Totals per camera live in memory (./storage-totals.ts): loaded once with one aggregate query on the
 *   read pool, then kept current from `recording.segment` and `recording.deleted`. Every deletion
 *   (retention or an admin) publishes `recording.deleted` with its per-camera breakdown.
 * - What retention cannot fix becomes a station event, once (./storage-alerts.ts).
 */
import type { DomainEventStream } from '../../events/domain-stream'
import type { EventService } from '../../services'
import type { StorageSummary, CameraStorage } from '../../../shared/schemas/recordings'
import type { RecordingsDeleteQuery, RecordingsDeleted } from '../../../shared/schemas/recording-retention'
import type { CameraRetentionSource } from './camera-retention'
import {
  DAY_MS,
  DELETE_BATCH,
  deleteSegments,
  readProtection,
  runRetentionPass,
  type DeleteReason,
  type PassDeps,
  type PassResult,
  type ProtectedFigures,
  type RetentionLimits,
} from './retention-pass'
import type { DeletedSegment } from './retention-write-ops'
import type { BoundsReader } from './segment-bounds'
import { StorageAlerts } from './storage-alerts'
import { StorageTotals } from './storage-totals'
import type { VolumeCheck, VolumeSpace } from './volume'
import { WriteRates } from './write-rate'

/** What the recorder says about a camera (R1's recorder provides it; absent until it does). */
export interface RecorderStatus {
  state: CameraStorage['state']
  lastError: string | null
  writeBytesPerSec: number
}
export type RecorderStatusProvider = (cameraId: number) => RecorderStatus | undefined

export interface RetentionLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface RetentionServiceDeps extends Omit<PassDeps, 'committed' | 'now' | 'totals' | 'limits'> {
  domainEvents: DomainEventStream
  events: Pick<EventService, 'record'>
  bounds: BoundsReader
  cameras: CameraRetentionSource
  limits: RetentionLimits
  log: RetentionLog
  recorderStatus?: RecorderStatusProvider
  now?: () => number
  /** Pass interval (default 60 s), free-space check interval (10 s), least time between triggered passes (10 s). */
  timing?: { passMs?: number; volumeCheckMs?: number; soonSpacingMs?: number }
}

export type DeleteRangeResult =
  ({ kind: 'deleted' } & RecordingsDeleted) | { kind: 'protected'; segments: number; until: number }

export interface RetentionFigures {
  passes: number
  deletedSegments: number
  deletedBytes: number
  lastPass: PassResult | undefined
}

const RANGE_CHUNK = 1000

export class RetentionService {
  readonly totals = new StorageTotals()
  private readonly rates: WriteRates
  private readonly alerts: StorageAlerts
  private readonly states = new Map<number, { state: CameraStorage['state']; lastError: string | null }>()
  private recorderStatus: RecorderStatusProvider | undefined
  private volume: VolumeCheck
  private readonly now: () => number
  private readonly timing: Required<NonNullable<RetentionServiceDeps['timing']>>
  private readonly unsubscribe: (() => void)[] = []
  private timers: NodeJS.Timeout[] = []
  private soonTimer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = false
  private automatic = true
  private lastPassEnd = 0
  private rereads = new Set<number>()
  private rereading: Promise<void> = Promise.resolve()
  private protection: ProtectedFigures = { bytes: 0, byCamera: new Map() }
  private volumeSpace: VolumeSpace | undefined
  private readonly figures: RetentionFigures = {
    passes: 0,
    deletedSegments: 0,
    deletedBytes: 0,
    lastPass: undefined,
  }

  constructor(private readonly deps: RetentionServiceDeps) {
    this.now = deps.now ?? Date.now
    this.rates = new WriteRates(this.now)
    this.alerts = new StorageAlerts(deps.events, deps.log, this.now)
    this.recorderStatus = deps.recorderStatus
    this.volume = deps.volume
    this.timing = {
      passMs: deps.timing?.passMs ?? 60_000,
      volumeCheckMs: deps.timing?.volumeCheckMs ?? 10_000,
      soonSpacingMs: deps.timing?.soonSpacingMs ?? 10_000,
    }
  }

  /** Subscribes to the recording facts, loads the totals, starts the timers and runs a first pass. */
  start(): void {
    const ev = this.deps.domainEvents
    this.unsubscribe.push(
      ev.on('recording.segment', 'retention', (e) => {
        this.totals.addSegment(e)
        this.rates.add(e.cameraId, e.bytes)
        if (this.overLimits(e.cameraId)) this.runSoonSpaced()
      }),
      ev.on('recording.deleted', 'retention', (e) => {
        const reread = this.totals.removeDeleted(e)
        if (reread.length > 0) this.reread(reread)
      }),
      ev.on('recording.state', 'retention', (e) => {
        this.states.set(e.cameraId, { state: e.state, lastError: e.lastError })
      }),
    )
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms)
      t.unref()
      this.timers.push(t)
    }
    every(this.timing.passMs, () => {
      if (this.automatic) this.runSoon()
    })
    every(this.timing.volumeCheckMs, () => void this.checkVolume())
    this.runSoon()
  }

  /** Checks free space with `check` from now on (tests play a nearly full disk; another volume source). */
  useVolumeCheck(check: VolumeCheck): void {
    this.volume = check
  }

  /**
   * Whether the timer and the triggers (a segment over a limit, the volume below its reserve) start
   * passes; `runSoon()` and `runNow()` always do. Tests turn it off to count what each pass did.
   */
  setAutomatic(on: boolean): void {
    this.automatic = on
  }

  /** Uses what the recorder reports (state, last error, write rate) for the storage figures. */
  useRecorderStatus(provider: RecorderStatusProvider | undefined): void {
    this.recorderStatus = provider
  }

  /** Runs a pass at once (or right after the one running); never overlapping. */
  runSoon(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.loop().finally(() => {
      this.running = undefined
    })
  }

  /** Runs a pass now and answers its result (tests, and an admin's "run retention now"). */
  async runNow(): Promise<PassResult | undefined> {
    while (this.running) await this.running
    this.runSoon()
    await this.running
    return this.figures.lastPass
  }

  /** Stops the timers and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers) clearInterval(t)
    clearTimeout(this.soonTimer)
    for (const off of this.unsubscribe.splice(0)) off()
    await this.running
    await this.rereading
  }

  stats(): RetentionFigures {
    return { ...this.figures }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      await this.pass()
    } while (this.again && !this.stopped)
  }

  private async pass(): Promise<void> {
    try {
      if (!this.totals.loaded) {
        await this.totals.reload('all', () => this.deps.reads.run('retention.totals', {}))
      }
      const result = await runRetentionPass({
        ...this.deps,
        volume: this.volume,
        totals: this.totals,
        limits: () => this.deps.limits,
        committed: (deleted, reason) => this.committed(deleted, reason),
        now: this.now,
      })
      this.figures.passes++
      this.figures.lastPass = result
      // The protected figures are the storage screen's, read after the pass (the partial index on
      // protected_until, on the read pool) unless the pass needed them itself.
      this.protection = result.protection ?? (await readProtection(this.deps.reads, this.now()))
      if (result.volume) this.volumeSpace = result.volume
      this.alerts.update(result, this.deps.limits.quotaBytes)
      if (result.deletedSegments > 0 || result.unlinkFailures > 0) {
        this.deps.log.info(
          {
            deletedSegments: result.deletedSegments,
            deletedBytes: result.deletedBytes,
            byReason: result.byReason,
            unlinkFailures: result.unlinkFailures,
            ms: Math.round(result.ms),
          },
          'retention pass deleted recordings',
        )
      }
    } catch (err) {
      if (!this.stopped) this.deps.log.warn({ err }, 'retention pass failed; trying again at the next one')
    } finally {
      this.lastPassEnd = this.now()
    }
  }

  /** A pass soon, but at most one per `soonSpacingMs` (a segment every few seconds must not run one each). */
  private runSoonSpaced(): void {
    if (!this.automatic) return
    if (this.stopped || this.soonTimer || this.running) {
      if (this.running) this.again = this.again || this.now() - this.lastPassEnd >= this.timing.soonSpacingMs
      return
    }
    const wait = Math.max(0, this.lastPassEnd + this.timing.soonSpacingMs - this.now())
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined
      this.runSoon()
    }, wait)
    this.soonTimer.unref()
  }

  private overLimits(cameraId: number): boolean {
    const quota = this.deps.limits.quotaBytes
    if (quota !== null && this.totals.totalBytes > quota) return true
    const max = this.deps.cameras().get(cameraId)?.maxBytes
    return max != null && this.totals.get(cameraId).bytes > max
  }

  private async checkVolume(): Promise<void> {
    try {
      const v = await this.volume()
      this.volumeSpace = v
      if (v.freeBytes < this.reserveBytes(v)) this.runSoonSpaced()
    } catch (err) {
      this.deps.log.warn({ err }, 'free-space check of the recordings volume failed')
    }
  }

  private reserveBytes(v: VolumeSpace): number {
    return Math.floor((v.totalBytes * this.deps.limits.reservePercent) / 100)
  }

  /** Rows a delete committed: announced on the stream (the totals follow it), counted. */
  private committed(deleted: DeletedSegment[], reason: DeleteReason): void {
    const byCamera = new Map<number, { cameraId: number; segments: number; bytes: number }>()
    let bytes = 0
    for (const d of deleted) {
      const c = byCamera.get(d.cameraId) ?? { cameraId: d.cameraId, segments: 0, bytes: 0 }
      c.segments++
      c.bytes += d.bytes
      bytes += d.bytes
      byCamera.set(d.cameraId, c)
    }
    this.figures.deletedSegments += deleted.length
    this.figures.deletedBytes += bytes
    this.deps.domainEvents.publish({
      type: 'recording.deleted',
      cameraIds: [...byCamera.keys()],
      segments: deleted.length,
      bytes,
      byCamera: [...byCamera.values()],
    })
    if (reason === 'admin')
      this.deps.log.info({ segments: deleted.length, bytes }, 'an admin deleted recordings')
  }

  /** Another deleter said which cameras, not how much: their totals are read again from the index. */
  private reread(cameras: number[]): void {
    for (const c of cameras) this.rereads.add(c)
    this.rereading = this.rereading.then(async () => {
      const ids = [...this.rereads]
      this.rereads.clear()
      for (const cameraId of ids) {
        await this.totals
          .reload([cameraId], () => this.deps.reads.run('retention.cameraTotals', { cameraId }))
          .catch((err: unknown) => this.deps.log.warn({ err, cameraId }, 'recording totals re-read failed'))
      }
    })
  }

  /** An admin deletes a camera's footage overlapping [from, to): whole segments, never protected ones. */
  async deleteRange(q: RecordingsDeleteQuery): Promise<DeleteRangeResult> {
    const now = this.now()
    const page = (afterStart: number, afterId: number) =>
      this.deps.reads.run('retention.range', {
        cameraId: q.cameraId,
        from: q.from,
        to: q.to,
        afterStart,
        afterId,
        limit: RANGE_CHUNK,
      })
    const isProtected = (p: number | null) => p !== null && p > now
    if (!q.skipProtected) {
      let segments = 0
      let until = 0
      for (let rows = await page(-1, 0); ;) {
        for (const r of rows) {
          if (isProtected(r.protectedUntil)) {
            segments++
            until = Math.max(until, r.protectedUntil!)
          }
        }
        const last = rows.at(-1)
        if (rows.length < RANGE_CHUNK || !last) break
        rows = await page(last.start, last.id)
      }
      if (segments > 0) return { kind: 'protected', segments, until }
    }
    let deletedSegments = 0
    let deletedBytes = 0
    let keptProtected = 0
    for (let rows = await page(-1, 0); ;) {
      const ids = rows.filter((r) => !isProtected(r.protectedUntil)).map((r) => r.id)
      keptProtected += rows.length - ids.length
      for (let i = 0; i < ids.length; i += DELETE_BATCH) {
        const batch = ids.slice(i, i + DELETE_BATCH)
        const { deleted } = await deleteSegments(this.passDeps(), batch, now, 'admin')
        deletedSegments += deleted.length
        deletedBytes += deleted.reduce((s, d) => s + d.bytes, 0)
        keptProtected += batch.length - deleted.length
      }
      const last = rows.at(-1)
      if (rows.length < RANGE_CHUNK || !last) break
      rows = await page(last.start, last.id)
    }
    return {
      kind: 'deleted',
      cameraId: q.cameraId,
      from: q.from,
      to: q.to,
      deletedSegments,
      deletedBytes,
      keptProtected,
    }
  }

  private passDeps() {
    return {
      writer: this.deps.writer,
      files: this.deps.files,
      committed: (deleted: DeletedSegment[], reason: DeleteReason) => this.committed(deleted, reason),
    }
  }

  /** The storage figures, with protection and free space read now. */
  async summary(): Promise<StorageSummary> {
    const now = this.now()
    this.protection = await readProtection(this.deps.reads, now)
    try {
      this.volumeSpace = await this.volume()
    } catch (err) {
      this.deps.log.warn({ err }, 'free-space check of the recordings volume failed')
    }
    return this.snapshot()
  }

  /** The storage figures from what is known now (synchronous: metrics scrapes read it). */
  snapshot(): StorageSummary {
    const now = this.now()
    const settings = this.deps.cameras()
    const ids = [...new Set([...settings.keys(), ...this.totals.cameraIds()])].sort((a, b) => a - b)
    const cameras = ids.map((cameraId): CameraStorage => {
      const t = this.totals.get(cameraId)
      const s = settings.get(cameraId)
      const bounds = t.segments > 0 ? this.deps.bounds(cameraId) : { oldest: null, newest: null }
      const reported = this.recorderStatus?.(cameraId)
      const state = this.states.get(cameraId)
      return {
        cameraId,
        name: s?.name ?? null,
        retention: {
          minDays: s?.minDays ?? null,
          maxDays: s?.maxDays ?? null,
          maxBytes: s?.maxBytes ?? null,
        },
        bytes: t.bytes,
        segments: t.segments,
        protectedBytes: this.protection.byCamera.get(cameraId)?.bytes ?? 0,
        oldest: bounds.oldest,
        newest: bounds.newest,
        daysCovered: bounds.oldest === null ? 0 : Math.max(0, (now - bounds.oldest) / DAY_MS),
        writeBytesPerSec: reported?.writeBytesPerSec ?? this.rates.bytesPerSec(cameraId),
        state: reported?.state ?? state?.state ?? 'off',
        lastError: reported ? reported.lastError : (state?.lastError ?? null),
      }
    })
    const v = this.volumeSpace ?? { totalBytes: 0, freeBytes: 0 }
    const last = this.figures.lastPass
    return {
      cameras,
      totalBytes: this.totals.totalBytes,
      protectedBytes: this.protection.bytes,
      quotaBytes: this.deps.limits.quotaBytes,
      reservePercent: this.deps.limits.reservePercent,
      volume: { totalBytes: v.totalBytes, freeBytes: v.freeBytes, reserveBytes: this.reserveBytes(v) },
      lastRetention: last
        ? { at: last.at, deletedSegments: last.deletedSegments, deletedBytes: last.deletedBytes, ms: last.ms }
        : null,
      problems: this.alerts.problems(),
    }
  }
}
