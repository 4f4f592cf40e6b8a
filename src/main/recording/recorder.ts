/**
 * One camera's recorder: a consumer of the camera's main stream (role `recorder`) that writes segment
 * files from the fMP4 fragments the channel carries, byte for byte (JPEG cameras: from the fragments
 * their encoder makes, jpeg-to-h264.ts).
 *
 * - A segment is the init segment and whole fragments, starting at a key frame; a new one starts at the
 *   first key frame after the segment length, and whenever the stream restarts (a new init segment) or
 *   its timestamps jump. Times are wall-clock ms from the media clock (media-clock.ts): the end of one
 *   segment is the start of the next.
 * - continuous: every fragment is written. events: fragments wait in the pre-roll (pre-roll.ts) until a
 *   trigger (motion, an alarm, "record now") arms the recorder, and are written until the post-roll after
 *   the last trigger has passed.
 * - Fragments go to the file as they come (segment-file.ts); the service fsyncs open files every second.
 *   A segment is handed to the service for indexing once its file is closed and fsynced.
 * - A write failure stops the recording (state failed, the reason); the service retries later.
 */
import type { Consumer } from '../video/pipeline/consumer'
import type { InitSegment, MediaItem, VideoUnit } from '../video/pipeline/units'
import type { CameraRecording } from '../../shared/schemas/cameras'
import type { RecordingState } from './recording-state'
import { MediaClock } from './media-clock'
import { PreRoll, type Placed } from './pre-roll'
import { SegmentFile } from './segment-file'
import { absolutePath, segmentRelPath } from './segment-path'
import type { SegmentRow } from './repository'
import type { EncoderSink, JpegToH264 } from './jpeg-to-h264'

export interface RecorderDeps {
  cameraId: number
  settings: CameraRecording
  /** The recordings folder. */
  root: string
  segmentMs: number
  /** A finished segment (closed and fsynced): index it. */
  finished(row: SegmentRow): Promise<void>
  /** A write failed: recording stopped. */
  failed(err: Error): void
  /** The recorder's state changed. */
  state(state: RecordingState): void
  /** Makes the encoder of a JPEG camera (undefined: no ffmpeg, JPEG cameras cannot record). */
  jpegEncoder?: ((sink: EncoderSink) => JpegToH264) | undefined
  /** Waiting fragments past this many bytes hold the channel back (then it skips to a key frame). */
  maxPendingBytes?: number
  /** Bound of the pre-roll kept in events mode. */
  maxPreRollBytes?: number
}

interface OpenSegment {
  file: SegmentFile
  rel: string
  init: InitSegment
  startMs: number
  endMs: number
  frames: number
  keyframes: number
  motion: boolean
  /** The first segment of a run: its times move with the clock's first estimate when it ends. */
  settling: boolean
}

/** No fragment for this long: the open segment is closed (the camera went quiet). */
const SILENCE_MS = 5_000

export class Recorder implements Consumer {
  readonly role = 'recorder' as const
  private settings: CameraRecording
  private init: InitSegment | undefined
  private clock: MediaClock | undefined
  private seg: OpenSegment | undefined
  private readonly preRoll: PreRoll
  private lastRel = ''
  private lastDelta = 0
  private prevDts: number | undefined
  private lastUnitAt = 0
  /** events mode: armed until this wall time (motion: while it lasts). */
  private armedUntil = 0
  private motionActive = false
  private failure: Error | undefined
  private encoder: JpegToH264 | undefined
  private closing = false
  private readonly inFlight = new Set<Promise<void>>()
  private current: RecordingState = { state: 'off', lastError: null }
  /** Bytes written, over the recorder's life (write rate). */
  bytesWritten = 0
  /** Fragments the recorder could not write (no init segment, not a key frame to start at). */
  skipped = 0

  constructor(private readonly deps: RecorderDeps) {
    this.settings = deps.settings
    this.preRoll = new PreRoll(this.settings.preRollS * 1000, deps.maxPreRollBytes ?? 64 * 1024 * 1024)
    this.report()
  }

  get cameraId(): number {
    return this.deps.cameraId
  }

  get state(): RecordingState {
    return this.current
  }

  get currentSegmentBytes(): number {
    return this.seg?.file.bytes ?? 0
  }

  get encoderPid(): number | undefined {
    return this.encoder?.pid
  }

  /** New settings (mode, pre/post roll) of the same camera. */
  configure(settings: CameraRecording): void {
    this.settings = settings
    this.preRoll.setPreRoll(settings.preRollS * 1000)
    if (settings.mode !== 'events') this.preRoll.clear()
    this.report()
  }

  // --- Triggers (events mode) ------------------------------------------------------------------------

  motion(state: 'start' | 'end', at: number): void {
    this.motionActive = state === 'start'
    if (state === 'end') this.armedUntil = Math.max(this.armedUntil, at + this.settings.postRollS * 1000)
    if (this.seg && state === 'start') this.seg.motion = true
    this.report()
  }

  /** Records until `untilMs` (default now), then the post-roll. Answers the end of the armed period. */
  trigger(untilMs: number): number {
    this.armedUntil = Math.max(this.armedUntil, untilMs + this.settings.postRollS * 1000)
    this.report()
    return this.armedUntil
  }

  private armed(now: number): boolean {
    return this.settings.mode === 'continuous' || this.motionActive || now < this.armedUntil
  }

  // --- Consumer ------------------------------------------------------------------------------------

  deliver(item: MediaItem, done: () => void): void {
    if (item.kind === 'jpeg') {
      this.jpeg().push(item)
      return done()
    }
    if (item.kind === 'init') this.onInit(item)
    else this.onVideo(item)
    const max = this.deps.maxPendingBytes ?? 8 * 1024 * 1024
    const file = this.seg?.file
    if (file && file.pendingBytes >= max) void file.whenBelow(max).then(done)
    else done()
  }

  tick(now: number): void {
    if (this.seg && Date.now() - this.lastUnitAt > SILENCE_MS) this.closeSegment()
    // Post-roll over while the camera is quiet: nothing arrives to close it.
    if (this.seg && !this.armed(Date.now())) this.closeSegment()
    void now
  }

  /** The channel let go (camera disabled, deleted, station stopping): the open segment is finished. */
  end(): void {
    this.closeSegment()
    this.detached?.()
  }

  /** Set by the service: told when the channel lets go of the recorder. */
  detached: (() => void) | undefined

  private jpeg(): { push: JpegToH264['push'] } {
    if (this.encoder) return this.encoder
    const make = this.deps.jpegEncoder
    if (!make) {
      this.fail(new Error('JPEG cameras are recorded through ffmpeg, and the station has none'))
      return { push: () => undefined }
    }
    this.encoder = make({
      init: (init) => this.onInit(init),
      video: (u) => this.onVideo(u),
      ended: () => {
        // The next frame starts a new run (a new init segment: a new segment).
        this.encoder = undefined
      },
    })
    return this.encoder
  }

  private onInit(init: InitSegment): void {
    if (this.init === init) return
    this.closeSegment()
    this.preRoll.clear()
    this.init = init
    this.clock = new MediaClock({ timescale: init.timescale })
    this.prevDts = undefined
    this.ranBefore = false
  }

  private onVideo(u: VideoUnit): void {
    const clock = this.clock
    if (!clock || !this.init || this.closing) return void this.skipped++
    this.lastUnitAt = Date.now()
    const { at, jumped } = clock.place(u.dts, u.wallAt, this.seg === undefined)
    if (jumped) {
      this.closeSegment()
      this.ranBefore = false
    }
    const dur =
      u.duration && u.duration > 0 ? clock.ms(u.duration) : this.lastDelta > 0 ? this.lastDelta : 1000 / 25
    if (this.prevDts !== undefined && u.dts > this.prevDts) this.lastDelta = clock.ms(u.dts - this.prevDts)
    this.prevDts = u.dts
    const placed: Placed = { u, at, end: at + dur }
    if (this.failure) return
    if (!this.armed(u.wallAt)) {
      if (this.seg) this.closeSegment()
      if (this.settings.mode === 'events') this.preRoll.add(placed)
      this.report()
      return
    }
    if (!this.seg && this.preRoll.bytes > 0) for (const p of this.preRoll.take()) this.write(p)
    this.write(placed)
    this.report()
  }

  private write(p: Placed): void {
    const seg = this.seg
    if (!seg) {
      if (!p.u.keyframe) return void this.skipped++
      this.open(p.at, !this.ranBefore)
    } else if (p.u.keyframe && p.at - seg.startMs >= this.deps.segmentMs) {
      // The boundary: this segment ends where the next starts (the clock's slew is absorbed here).
      const clock = this.clock!
      if (seg.settling) this.settle(seg)
      const boundary = clock.slew(p.u.dts)
      p = { ...p, end: boundary + (p.end - p.at), at: boundary }
      seg.endMs = boundary
      this.closeSegment()
      this.open(p.at, false)
    }
    const s = this.seg!
    s.file.append(p.u.data)
    this.bytesWritten += p.u.data.length
    s.endMs = p.end
    s.frames++
    if (p.u.keyframe) s.keyframes++
    if (this.motionActive) s.motion = true
  }

  /** The first segment of a run moves with the clock's first estimate (media-clock.ts, `settle`). */
  private settle(seg: OpenSegment): void {
    const step = this.clock?.settle() ?? 0
    seg.startMs += step
    seg.endMs += step
    seg.settling = false
  }

  /** A segment of this run has been written (the clock has settled once). */
  private ranBefore = false

  private open(startMs: number, settling: boolean): void {
    this.ranBefore = true
    const init = this.init!
    let n = 0
    let rel = segmentRelPath(this.deps.cameraId, Math.round(startMs))
    while (rel === this.lastRel) rel = segmentRelPath(this.deps.cameraId, Math.round(startMs), ++n)
    this.lastRel = rel
    const file = new SegmentFile(absolutePath(this.deps.root, rel), (err) => this.fail(err, rel))
    file.append(init.data)
    this.bytesWritten += init.data.length
    this.seg = {
      file,
      rel,
      init,
      startMs,
      endMs: startMs,
      frames: 0,
      keyframes: 0,
      motion: this.motionActive,
      settling,
    }
  }

  /** Closes the open segment: fsynced, then indexed (in the background; `flush` waits for it). */
  private closeSegment(): void {
    const seg = this.seg
    if (!seg) return
    if (seg.settling) this.settle(seg)
    this.seg = undefined
    const job = (async () => {
      await seg.file.close()
      if (seg.file.failed || seg.frames === 0) return
      const start = Math.round(seg.startMs)
      await this.deps.finished({
        cameraId: this.deps.cameraId,
        startMs: start,
        endMs: Math.max(start, Math.round(seg.endMs)),
        bytes: seg.file.bytes,
        path: seg.rel,
        keyframes: seg.keyframes,
        frames: seg.frames,
        codec: seg.init.codecString,
        width: seg.init.width ?? null,
        height: seg.init.height ?? null,
        motion: seg.motion,
      })
    })().catch((err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err)), seg.rel))
    this.inFlight.add(job)
    void job.finally(() => this.inFlight.delete(job))
  }

  /** fsyncs the open segment (the service calls it every second). */
  async sync(): Promise<void> {
    await this.seg?.file.sync()
  }

  private fail(err: Error, rel?: string): void {
    if (rel) this.leftBehind.add(rel)
    if (this.failure) return
    this.failure = err
    const seg = this.seg
    this.seg = undefined
    if (seg) this.leftBehind.add(seg.rel)
    void seg?.file.close()
    this.preRoll.clear()
    this.report()
    this.deps.failed(err)
  }

  /** Segment files a failure left unindexed (repaired and indexed before resuming); emptied. */
  takeLeftBehind(): string[] {
    const all = [...this.leftBehind]
    this.leftBehind.clear()
    return all
  }
  private readonly leftBehind = new Set<string>()

  /** After a failure: try again from the next key frame. */
  resume(): void {
    if (!this.failure) return
    this.failure = undefined
    this.report()
  }

  private report(): void {
    const next: RecordingState = this.failure
      ? { state: 'failed', lastError: describe(this.failure) }
      : this.settings.mode === 'off'
        ? { state: 'off', lastError: null }
        : this.armed(Date.now()) && this.seg
          ? { state: 'recording', lastError: null }
          : this.settings.mode === 'continuous'
            ? { state: 'recording', lastError: null }
            : { state: 'waiting', lastError: null }
    if (next.state === this.current.state && next.lastError === this.current.lastError) return
    this.current = next
    this.deps.state(next)
  }

  /** Finishes the open segment and waits for every segment being indexed; stops the encoder. */
  async close(): Promise<void> {
    this.closing = true
    this.closeSegment()
    await Promise.all([...this.inFlight, this.encoder?.close()])
  }
}

/** A write failure in words an admin can act on. */
export function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EACCES':
    case 'EPERM':
      return 'the station may not write to the recordings folder (permissions)'
    case 'ENOENT':
      return 'the recordings folder is gone'
    case 'ENOTDIR':
    case 'EEXIST':
      return 'something that is not a folder is in the way of the recordings folder'
    case 'EROFS':
      return 'the disk is read-only'
    case 'EIO':
      return 'the disk reported an I/O error'
    default:
      return err.message
  }
}
