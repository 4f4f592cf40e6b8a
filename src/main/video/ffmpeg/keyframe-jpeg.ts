/**
 * A JPEG of an RTSP camera's latest keyframe, decoded on demand (`GET /api/v1/stream/:id/snapshot.jpg`,
 * notifications, thumbnails): ffmpeg is given the init segment and the keyframe's fragment on stdin and
 * writes one JPEG on stdout. The station keeps no decoder running: one short ffmpeg per snapshot,
 * about 0.1 s for a 1080p H.264 keyframe with Debian's ffmpeg 5.1, most of it ffmpeg's own start
 * (docs/ffmpeg.md).
 *
 * Bounded: each decode has a timeout (then ffmpeg is killed) and a largest output; `KeyframeSnapshots`
 * runs at most a few at once (callers past a short queue are refused), and callers asking for the same
 * camera's same keyframe share one decode, whose JPEG stays fresh for a second.
 */
import { jpegProblem } from '../jpeg'
import type { InitSegment, VideoUnit } from '../pipeline/units'
import { FfmpegProcess } from './ffmpeg-process'

export interface JpegArgsOptions {
  /** Output width at most this (height follows, even); the camera's full size when absent. */
  maxWidth?: number
  /** JPEG quality scale, 2 (best) to 31; default 4. */
  quality?: number
}

/** fMP4 on stdin (ftyp+moov, then moof+mdat), the first decoded frame as one JPEG on stdout. */
export function keyframeJpegArgs(options: JpegArgsOptions = {}): string[] {
  const q = Math.min(31, Math.max(2, Math.round(options.quality ?? 4)))
  const scale = options.maxWidth ? ['-vf', `scale='min(${Math.round(options.maxWidth)},iw)':-2`] : []
  return [
    ...['-hide_banner', '-nostats', '-loglevel', 'level+error'],
    ...['-f', 'mp4', '-i', 'pipe:0', '-map', '0:v:0'],
    ...scale,
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', String(q), '-f', 'image2pipe', 'pipe:1'],
  ]
}

export type SnapshotFailure = 'timeout' | 'too-large' | 'not-jpeg' | 'failed' | 'busy' | 'closed'

/**
 * Why there is no JPEG. For the route: `busy` is 503 with Retry-After (too many decodes at once), the
 * others are the camera's stream or ffmpeg failing (a 502/503 naming no detail to guards).
 */
export class SnapshotError extends Error {
  constructor(
    readonly reason: SnapshotFailure,
    message: string,
  ) {
    super(message)
    this.name = 'SnapshotError'
  }
}

export interface KeyframeJpegOptions extends JpegArgsOptions {
  ffmpegPath: string
  /** ftyp+moov. */
  init: Uint8Array
  /** moof+mdat of a fragment that starts with a key frame. */
  keyframe: Uint8Array
  /** Fragments after it, for a stream whose decoder needs more before it outputs the first frame. */
  following?: readonly Uint8Array[]
  /** ffmpeg is killed past this (default 5 s). */
  timeoutMs?: number
  /** Largest JPEG accepted (default 2 MiB); ffmpeg is killed past it. */
  maxBytes?: number
  /** Ends the decode at once (the station closing). */
  signal?: AbortSignal
  /** ffmpeg's error lines (repeats aggregated). */
  log?: (line: string, repeats: number) => void
}

export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 5000
export const DEFAULT_SNAPSHOT_MAX_BYTES = 2 * 1024 * 1024
/** SIGTERM, then SIGKILL after this: a decode that overran has nothing worth waiting for. */
const KILL_GRACE_MS = 200

/** Decodes one keyframe into a JPEG, or fails with a `SnapshotError`. */
export async function keyframeJpeg(options: KeyframeJpegOptions): Promise<Buffer> {
  if (options.signal?.aborted) throw new SnapshotError('closed', 'the station is closing')
  const maxBytes = options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES
  const timeoutMs = options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS
  const chunks: Buffer[] = []
  let bytes = 0
  let failure: SnapshotError | undefined
  const fail = (error: SnapshotError) => {
    failure ??= error
    void proc.stop()
  }
  const proc = FfmpegProcess.start(
    {
      ffmpegPath: options.ffmpegPath,
      args: keyframeJpegArgs(options),
      output: 'raw',
      input: [options.init, options.keyframe, ...(options.following ?? [])],
      stopGraceMs: KILL_GRACE_MS,
      log: options.log,
    },
    {
      data: (chunk) => {
        bytes += chunk.length
        if (bytes > maxBytes)
          fail(new SnapshotError('too-large', `the JPEG is larger than ${maxBytes} bytes`))
        else if (!failure) chunks.push(chunk)
      },
    },
  )
  const timer = setTimeout(
    () => fail(new SnapshotError('timeout', `ffmpeg made no JPEG within ${timeoutMs} ms`)),
    timeoutMs,
  )
  const abort = () => fail(new SnapshotError('closed', 'the station is closing'))
  options.signal?.addEventListener('abort', abort, { once: true })
  const exit = await proc.exited
  clearTimeout(timer)
  options.signal?.removeEventListener('abort', abort)
  if (failure) throw failure
  if (exit.code !== 0) {
    throw new SnapshotError(
      'failed',
      exit.problem ? `${exit.problem.message}: ${exit.problem.detail}` : exit.message,
    )
  }
  const jpeg = Buffer.concat(chunks, bytes)
  const problem = jpegProblem(jpeg)
  if (problem) throw new SnapshotError('not-jpeg', `ffmpeg's output is ${problem}`)
  return jpeg
}

export interface KeyframeSnapshotsOptions extends JpegArgsOptions {
  ffmpegPath: string
  /** Decodes running at once (default 2). */
  maxConcurrent?: number
  /** Callers waiting for a decode slot (default 8); past it a caller is refused (`busy`). */
  maxWaiting?: number
  /** How long a decoded JPEG answers for the same keyframe (default 1 s). */
  freshMs?: number
  timeoutMs?: number
  maxBytes?: number
  log?: (line: string, repeats: number) => void
}

export interface KeyframeSnapshotStats {
  /** ffmpeg runs started. */
  decodes: number
  /** Answered from a fresh JPEG of the same keyframe. */
  cacheHits: number
  /** Joined a decode of the same keyframe already under way. */
  shared: number
  /** Decodes that gave no JPEG (timeouts included). */
  failures: number
  timeouts: number
  /** Callers refused because the queue was full. */
  refused: number
  /** Decodes running, and callers waiting for a slot. */
  active: number
  waiting: number
  /** Duration of the last successful decode (ms). */
  lastDecodeMs: number | null
}

interface Entry {
  /** The keyframe's unit number, and the init segment it was decoded with (a new one after a reconnect). */
  seq: number
  init: InitSegment
  jpeg: Promise<Buffer>
  /** performance.now() when the JPEG was made; undefined while decoding. */
  doneAt?: number
}

/**
 * Snapshots of fMP4 cameras, one entry per camera (its latest keyframe's JPEG). Owned by the video
 * service; `close()` ends running decodes and refuses waiting callers.
 */
export class KeyframeSnapshots {
  private readonly entries = new Map<number, Entry>()
  private readonly waiters: { go: () => void; refuse: (e: SnapshotError) => void }[] = []
  private readonly closing = new AbortController()
  private running = 0
  private readonly counts = { decodes: 0, cacheHits: 0, shared: 0, failures: 0, timeouts: 0, refused: 0 }
  private lastDecodeMs: number | null = null

  constructor(private readonly options: KeyframeSnapshotsOptions) {}

  /** A JPEG of `keyframe` (a unit of camera `cameraId` whose `keyframe` flag is set). */
  get(
    cameraId: number,
    init: InitSegment,
    keyframe: VideoUnit,
    following: readonly VideoUnit[] = [],
  ): Promise<Buffer> {
    if (!keyframe.keyframe) {
      return Promise.reject(new Error(`unit ${keyframe.seq} of camera ${cameraId} is not a keyframe`))
    }
    const known = this.entries.get(cameraId)
    if (known?.seq === keyframe.seq && known.init === init) {
      if (known.doneAt === undefined) {
        this.counts.shared++
        return known.jpeg
      }
      if (performance.now() - known.doneAt < (this.options.freshMs ?? 1000)) {
        this.counts.cacheHits++
        return known.jpeg
      }
    }
    const entry: Entry = { seq: keyframe.seq, init, jpeg: this.decode(init, keyframe, following) }
    this.entries.set(cameraId, entry)
    entry.jpeg.then(
      () => {
        entry.doneAt = performance.now()
        // Let the JPEG go once stale, if nothing newer replaced it meanwhile.
        setTimeout(() => this.forget(cameraId, entry), this.options.freshMs ?? 1000).unref()
      },
      () => this.forget(cameraId, entry),
    )
    return entry.jpeg
  }

  stats(): KeyframeSnapshotStats {
    return {
      ...this.counts,
      active: this.running,
      waiting: this.waiters.length,
      lastDecodeMs: this.lastDecodeMs,
    }
  }

  /** Ends running decodes and refuses waiting and later callers (`closed`). */
  close(): void {
    this.closing.abort()
    for (const w of this.waiters.splice(0)) w.refuse(new SnapshotError('closed', 'the station is closing'))
    this.entries.clear()
  }

  private forget(cameraId: number, entry: Entry): void {
    if (this.entries.get(cameraId) === entry) this.entries.delete(cameraId)
  }

  private async decode(init: InitSegment, keyframe: VideoUnit, following: readonly VideoUnit[]) {
    await this.slot()
    const started = performance.now()
    this.counts.decodes++
    try {
      const jpeg = await keyframeJpeg({
        ...this.options,
        init: init.data,
        keyframe: keyframe.data,
        following: following.map((u) => u.data),
        signal: this.closing.signal,
      })
      this.lastDecodeMs = performance.now() - started
      return jpeg
    } catch (err) {
      this.counts.failures++
      if (err instanceof SnapshotError && err.reason === 'timeout') this.counts.timeouts++
      throw err
    } finally {
      this.release()
    }
  }

  /** Takes a decode slot, waits for one, or refuses when too many wait already. */
  private slot(): Promise<void> {
    if (this.closing.signal.aborted)
      return Promise.reject(new SnapshotError('closed', 'the station is closing'))
    if (this.running < (this.options.maxConcurrent ?? 2)) {
      this.running++
      return Promise.resolve()
    }
    if (this.waiters.length >= (this.options.maxWaiting ?? 8)) {
      this.counts.refused++
      return Promise.reject(new SnapshotError('busy', 'too many snapshots are being made: try again'))
    }
    return new Promise((go, refuse) => this.waiters.push({ go, refuse }))
  }

  /** Hands the slot to the next waiter, if any. */
  private release(): void {
    const next = this.waiters.shift()
    if (next) next.go()
    else this.running--
  }
}
