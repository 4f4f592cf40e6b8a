/**
 * The recording service (`app.recording`): one recorder per camera whose mode is not off, attached to
 * the camera's main stream as a consumer; the triggers of events mode (motion on the domain stream,
 * `trigger` for alarms and "record now"), the marks and holds, the index writes (segments, through the
 * writer; each committed row published as `recording.segment`), each camera's state (published as
 * `recording.state`, raised as a station event when recording fails or resumes), and the figures
 * retention and the storage screens read.
 *
 * A write failure stops that camera's recorder only; it is retried with a growing delay (5 s to 5 min),
 * and the segment it left behind is repaired and indexed first.
 */
import type { Writer } from '../database/writer'
import type { DomainEventStream } from '../events/domain-stream'
import type { EventService } from '../services'
import type { CameraService } from '../cameras/service'
import type { RecordingCamera } from '../cameras/views'
import type { CameraChannel } from '../video/camera-channel'
import type { ResolvedFfmpeg } from '../video/ffmpeg/resolve-ffmpeg'
import type { MarkKind } from '../../shared/schemas/recordings'
import { Recorder } from './recorder'
import type { RecordingState } from './recording-state'
import { JpegToH264 } from './jpeg-to-h264'
import { RecordingReads, type SegmentRow } from './repository'
import { recoverRecordings, repairSegment, type RecoveryReport } from './recovery'
import type { Db } from '../database/open'

export interface RecordingServiceDeps {
  db: Db
  writer: Pick<Writer, 'run'>
  events: Pick<DomainEventStream, 'publish' | 'on'>
  stationEvents: Pick<EventService, 'record'>
  cameras: Pick<CameraService, 'recordingCamera' | 'recordingCameras'>
  /** The camera's channel (the video relay), if it has one now. */
  channel: (cameraId: number) => Pick<CameraChannel, 'attach' | 'usable'> | undefined
  /** The recordings folder. */
  root: string
  segmentMs: number
  ffmpeg: ResolvedFfmpeg | undefined
  log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
}

export interface RecorderFigures {
  state: RecordingState['state']
  lastError: string | null
  /** Bytes written per second, over the last few seconds. */
  writeBytesPerSec: number
  /** Bytes of the segment being written (not indexed yet). */
  currentSegmentBytes: number
}

export type TriggerReason = 'alarm' | 'manual'

export interface TriggerOptions {
  reason: TriggerReason
  /** Who or what: an alarm id, a user name (stored on the mark). */
  ref?: string | undefined
  /** Record at least until then (epoch ms; default now), then the post-roll. */
  untilMs?: number | undefined
}

export interface TriggerResult {
  /** The mark written for it. */
  markId: number
  /** Recording lasts at least until then (epoch ms; null when the camera does not record events now). */
  recordingUntil: number | null
}

export interface ProtectResult {
  holdId: number
  /** Indexed segments that got the protection (segments written later inside the range get it too). */
  segments: number
}

interface Entry {
  recorder: Recorder
  camera: RecordingCamera
  detach: (() => void) | undefined
  retryAt: number
  retryDelayMs: number
  lastBytes: number
  rate: number
  resuming: boolean
}

const SYNC_MS = 1_000
const RETRY_MIN_MS = 5_000
const RETRY_MAX_MS = 300_000

export class RecordingService {
  private readonly recorders = new Map<number, Entry>()
  /** Open motion marks, per camera. */
  private readonly motionMarks = new Map<number, Promise<number | null>>()
  private timer: NodeJS.Timeout | undefined
  private offs: (() => void)[] = []
  private started: Promise<RecoveryReport | undefined> | undefined
  private closed = false
  private lastTick = Date.now()
  readonly reads: RecordingReads

  constructor(private readonly deps: RecordingServiceDeps) {
    this.reads = new RecordingReads(deps.db)
  }

  /**
   * Repairs what a crash left (recovery.ts), then starts a recorder for every camera that records, and
   * follows camera changes and motion. Resolves with what the repair did.
   */
  start(): Promise<RecoveryReport | undefined> {
    this.started ??= (async () => {
      const report = await recoverRecordings({
        root: this.deps.root,
        reads: this.reads,
        writer: this.deps.writer,
      })
      if (report.repaired || report.removedFiles || report.removedRows)
        this.deps.log.info({ ...report }, 'recordings repaired after an unclean stop')
      if (this.closed) return report
      this.offs.push(
        this.deps.events.on('camera.changed', 'recording', (e) => this.apply(e.cameraId)),
        this.deps.events.on('camera.motion', 'recording', (e) =>
          this.motion(e.cameraId, e.state, e.area, e.at),
        ),
      )
      for (const cam of this.deps.cameras.recordingCameras()) this.apply(cam.id)
      this.timer = setInterval(() => this.tick(), SYNC_MS)
      this.timer.unref()
      return report
    })().catch((err: unknown) => {
      this.deps.log.warn({ err }, 'recording did not start')
      return undefined
    })
    return this.started
  }

  /** Whether start-up repair is done and recorders run (tests, health). */
  get ready(): Promise<RecoveryReport | undefined> {
    return this.started ?? Promise.resolve(undefined)
  }

  /** A camera's recording state. */
  state(cameraId: number): RecordingState {
    return this.recorders.get(cameraId)?.recorder.state ?? { state: 'off', lastError: null }
  }

  /** Per camera: state, last error, write rate, bytes of the open segment (cameras that record). */
  figures(): Map<number, RecorderFigures> {
    const out = new Map<number, RecorderFigures>()
    for (const [id, e] of this.recorders) {
      const s = e.recorder.state
      out.set(id, {
        state: s.state,
        lastError: s.lastError,
        writeBytesPerSec: Math.round(e.rate),
        currentSegmentBytes: e.recorder.currentSegmentBytes,
      })
    }
    return out
  }

  /**
   * Records a camera now (events mode: from its pre-roll, until `untilMs`, then the post-roll; a camera
   * that records continuously just gets the mark). Writes an `alarm` or `manual` mark. 404-style
   * `undefined` when the camera does not exist.
   */
  async trigger(cameraId: number, opts: TriggerOptions): Promise<TriggerResult | undefined> {
    const camera = this.deps.cameras.recordingCamera(cameraId)
    if (!camera) return undefined
    const now = Date.now()
    const until = Math.max(now, opts.untilMs ?? now)
    const entry = this.recorders.get(cameraId)
    const recordingUntil = entry && camera.recording.mode !== 'off' ? entry.recorder.trigger(until) : null
    const [markId] = await this.deps.writer.run('recordings.marks', [
      {
        op: 'start',
        cameraId,
        kind: opts.reason satisfies MarkKind,
        startMs: now,
        endMs: until,
        area: null,
        ref: opts.ref ?? null,
      },
    ])
    return { markId: markId!, recordingUntil }
  }

  /**
   * Protects a camera's footage in [fromMs, toMs) until `keepUntilMs` from retention: a hold row, and
   * `protected_until` on the indexed segments it overlaps (segments indexed later inside it get it when
   * their row is written).
   */
  async protect(
    cameraId: number,
    fromMs: number,
    toMs: number,
    keepUntilMs: number,
    reason: string,
    source?: { kind: string; id: string },
  ): Promise<ProtectResult> {
    if (!(toMs >= fromMs)) throw new RangeError('protect: toMs must not be before fromMs')
    return this.deps.writer.run('recordings.hold', {
      cameraId,
      fromMs,
      toMs,
      keepUntil: keepUntilMs,
      reason,
      sourceKind: source?.kind ?? null,
      sourceId: source?.id ?? null,
    })
  }

  // --- Recorders -----------------------------------------------------------------------------------

  /** Brings one camera's recorder in step with its row (created, changed, deleted). */
  private apply(cameraId: number): void {
    if (this.closed) return
    const camera = this.deps.cameras.recordingCamera(cameraId)
    const entry = this.recorders.get(cameraId)
    if (!camera || camera.recording.mode === 'off') {
      if (entry) this.drop(cameraId, entry)
      return
    }
    if (entry) {
      entry.camera = camera
      entry.recorder.configure(camera.recording)
      this.attach(entry)
      return
    }
    const created: Entry = {
      camera,
      recorder: this.makeRecorder(camera),
      detach: undefined,
      retryAt: 0,
      retryDelayMs: RETRY_MIN_MS,
      lastBytes: 0,
      rate: 0,
      resuming: false,
    }
    created.recorder.detached = () => (created.detach = undefined)
    this.recorders.set(cameraId, created)
    this.attach(created)
  }

  private makeRecorder(camera: RecordingCamera): Recorder {
    const ffmpeg = this.deps.ffmpeg
    const ffmpegPath = ffmpeg && 'path' in ffmpeg ? ffmpeg.path : undefined
    return new Recorder({
      cameraId: camera.id,
      settings: camera.recording,
      root: this.deps.root,
      segmentMs: this.deps.segmentMs,
      finished: (row) => this.index(row),
      failed: (err) => this.failed(camera.id, err),
      state: (s) => this.stateChanged(camera.id, s),
      jpegEncoder: ffmpegPath
        ? (sink) => new JpegToH264(ffmpegPath, this.recorders.get(camera.id)?.camera.fps ?? camera.fps, sink)
        : undefined,
    })
  }

  /** Attaches the recorder to its camera's main stream when it may (the channel is usable). */
  private attach(e: Entry): void {
    if (e.detach || this.closed) return
    const ch = this.deps.channel(e.camera.id)
    if (!ch || ch.usable !== null) return
    e.detach = ch.attach(e.recorder, { needs: 'live', stream: 'main' })
  }

  private drop(cameraId: number, e: Entry): void {
    this.recorders.delete(cameraId)
    e.detach?.()
    e.detach = undefined
    void e.recorder.close()
    this.stateChanged(cameraId, { state: 'off', lastError: null })
  }

  private async index(row: SegmentRow): Promise<void> {
    const r = await this.deps.writer.run('recordings.segment', row)
    this.deps.events.publish({
      type: 'recording.segment',
      cameraId: row.cameraId,
      segmentId: r.id,
      start: row.startMs,
      end: row.endMs,
      bytes: row.bytes,
    })
  }

  private motion(cameraId: number, state: 'start' | 'end', area: number, at: number): void {
    this.recorders.get(cameraId)?.recorder.motion(state, at)
    const open = this.motionMarks.get(cameraId)
    if (state === 'start') {
      if (open) return
      const id = this.deps.writer
        .run('recordings.marks', [
          { op: 'start', cameraId, kind: 'motion', startMs: at, endMs: null, area, ref: null },
        ])
        .then(
          ([markId]) => markId ?? null,
          (err: unknown) => {
            this.deps.log.warn({ err, cameraId }, 'motion mark not written')
            return null
          },
        )
      this.motionMarks.set(cameraId, id)
      return
    }
    if (!open) return
    this.motionMarks.delete(cameraId)
    void open.then(async (id) => {
      if (id === null) return
      await this.deps.writer
        .run('recordings.marks', [{ op: 'end', id, endMs: at, area }])
        .catch((err: unknown) => {
          this.deps.log.warn({ err, cameraId }, 'motion mark end not written')
        })
    })
  }

  private stateChanged(cameraId: number, s: RecordingState): void {
    this.deps.events.publish({ type: 'recording.state', cameraId, state: s.state, lastError: s.lastError })
  }

  private failed(cameraId: number, err: Error): void {
    const e = this.recorders.get(cameraId)
    if (!e) return
    const why = e.recorder.state.lastError ?? err.message
    e.retryAt = Date.now() + e.retryDelayMs
    this.deps.log.warn({ cameraId, err, retryInMs: e.retryDelayMs }, 'recording stopped: write failed')
    void this.deps.stationEvents
      .record({
        type: 'recording.failed',
        severity: 'warning',
        sourceKind: 'camera',
        sourceId: String(cameraId),
        message: `Camera "${e.camera.name}" stopped recording: ${why}. Retrying in ${Math.round(e.retryDelayMs / 1000)} s`,
      })
      .catch(() => undefined)
    e.retryDelayMs = Math.min(RETRY_MAX_MS, e.retryDelayMs * 2)
  }

  /** After the delay: what the failure left behind is repaired and indexed, then recording resumes. */
  private async retry(cameraId: number, e: Entry): Promise<void> {
    e.resuming = true
    try {
      for (const rel of e.recorder.takeLeftBehind()) {
        const row = await repairSegment(this.deps.root, rel, cameraId).catch(() => undefined)
        if (row) await this.index(row).catch(() => undefined)
      }
      if (this.recorders.get(cameraId) !== e || this.closed) return
      e.recorder.resume()
      void this.deps.stationEvents
        .record({
          type: 'recording.resumed',
          severity: 'info',
          sourceKind: 'camera',
          sourceId: String(cameraId),
          message: `Camera "${e.camera.name}" is recording again`,
        })
        .catch(() => undefined)
    } finally {
      e.resuming = false
    }
  }

  private tick(): void {
    const now = Date.now()
    const dt = Math.max(1, now - this.lastTick) / 1000
    this.lastTick = now
    for (const [id, e] of this.recorders) {
      void e.recorder.sync()
      const bytes = e.recorder.bytesWritten
      // Write rate: smoothed over about five seconds.
      e.rate += ((bytes - e.lastBytes) / dt - e.rate) * 0.2
      e.lastBytes = bytes
      this.attach(e)
      if (e.recorder.state.state === 'failed' && !e.resuming && now >= e.retryAt) void this.retry(id, e)
      // A successful stretch forgets earlier failures.
      else if (e.recorder.state.state !== 'failed' && now - e.retryAt > RETRY_MAX_MS)
        e.retryDelayMs = RETRY_MIN_MS
    }
  }

  /**
   * Station stopping: every open segment is finished (fsynced and indexed) within `deadlineMs`, JPEG
   * encoders stop. Called before the database closes.
   */
  async close(deadlineMs = 5_000): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.started
    clearInterval(this.timer)
    for (const off of this.offs) off()
    const all = [...this.recorders.values()].map((e) => {
      e.detach?.()
      return e.recorder.close()
    })
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)))
    const result = await Promise.race([Promise.all(all).then(() => 'done' as const), late])
    clearTimeout(timer)
    if (result === 'late') this.deps.log.warn({ deadlineMs }, 'recordings not all closed in time')
    this.recorders.clear()
  }
}
