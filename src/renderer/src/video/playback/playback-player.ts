/**
 * Plays one camera's recording in a <video> through Media Source Extensions: segment files fetched from
 * the station ahead of the playhead, each appended whole (init segment and fragments) with the
 * timestampOffset that puts its first frame at its wall time (media-time.ts), so playback crosses segment
 * boundaries and camera restarts without a gap; what lies far behind is removed. Seeks inside what is
 * buffered are instant; elsewhere the buffer is dropped and refilled from the segment holding the time.
 * Time is wall time (epoch ms) throughout; the group (playback-group.ts) decides where everyone should be.
 */
import type { RecordingSegment } from '../../../../shared/schemas/recordings'
import { mimeFor } from '../mse/codecs'
import { parseFragment, parseInit } from '../mse/fmp4-info'
import { mediaTime, timestampOffset, trimRange, wallTime, wanted } from './media-time'

export interface PlaybackSource {
  /** The segments of a camera overlapping [from, to), oldest first (at most `limit`). */
  segments(cameraId: number, from: number, to: number, limit: number): Promise<RecordingSegment[]>
  /** A segment file's bytes. */
  file(url: string, signal: AbortSignal): Promise<ArrayBuffer>
}

export type PlayerState = 'idle' | 'loading' | 'ready' | 'no-recording' | 'unsupported' | 'error'

export interface PlayerStatus {
  state: PlayerState
  message: string | null
  codec: string | null
}

export interface PlaybackPlayerOptions {
  /** How far ahead of the playhead to have appended, in wall seconds at 1x (times the rate). */
  aheadS?: number
  /** Buffered video kept behind the playhead (seconds). */
  behindS?: number
  onStatus?: (s: PlayerStatus) => void
}

const LIST_LIMIT = 60
const LIST_SPAN_MS = 30 * 60_000

export class PlaybackPlayer {
  private ms: MediaSource | null = null
  private sb: SourceBuffer | null = null
  private codec: string | null = null
  private base = 0
  /** Segments known from the station, by start; complete up to `knownUntil` from `knownFrom`. */
  private known: RecordingSegment[] = []
  private knownFrom = Infinity
  private knownUntil = -Infinity
  private appended = new Set<number>()
  private listing: Promise<void> | null = null
  private fetching: AbortController | null = null
  /** Where the playhead is going (a seek not yet buffered). */
  private target: number | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private destroyed = false
  private status: PlayerStatus = { state: 'idle', message: null, codec: null }
  /** One frame's duration (s), from the fragments appended. */
  frameS = 0.04
  rate = 1
  readonly stats = { segmentsAppended: 0, bytesAppended: 0, seeksRefilled: 0 }

  constructor(
    readonly video: HTMLVideoElement,
    readonly cameraId: number,
    private readonly source: PlaybackSource,
    private readonly o: PlaybackPlayerOptions = {},
  ) {
    video.muted = true
    this.timer = setInterval(() => this.pump(), 200)
  }

  get state(): PlayerStatus {
    return this.status
  }

  /** The wall time shown (epoch ms), or the seek target while it loads. */
  wallTime(): number {
    if (this.target !== null) return this.target
    return wallTime(this.base, this.video.currentTime)
  }

  /** Whether a known segment holds `wall`. */
  hasDataAt(wall: number): boolean {
    return this.known.some((s) => s.start <= wall && s.end > wall)
  }

  /** The first known recording after `wall`, if the list reaches it. */
  nextDataAfter(wall: number): number | null {
    return this.known.find((s) => s.start > wall)?.start ?? null
  }

  /** Whether the segment list around `wall` is known (so `hasDataAt` can be trusted). */
  covers(wall: number): boolean {
    return wall >= this.knownFrom && wall < this.knownUntil
  }

  /** A seek is waiting for its segment. */
  loading(): boolean {
    return this.target !== null
  }

  /** The video is showing frames at its playhead (not waiting for data). */
  playing(): boolean {
    return !this.video.paused && this.target === null && this.video.readyState >= 3
  }

  seek(wall: number): void {
    this.ensureList(wall)
    if (this.ms && this.sb && wall >= this.base + 1000 && this.buffered(mediaTime(this.base, wall))) {
      this.target = null
      this.video.currentTime = mediaTime(this.base, wall)
      if (this.status.state === 'loading') this.setStatus('ready')
      return
    }
    this.target = wall
    // Until the time is buffered the video still shows (and reports the readyState of) where it was: not
    // ready at the new time.
    if (this.status.state === 'ready') this.setStatus('loading')
    this.stats.seeksRefilled++
    this.fetching?.abort()
    this.fetching = null
    if (!this.ms || wall < this.base + 1000) this.reset(wall)
    else this.dropBuffer()
    this.pump()
  }

  play(): void {
    void this.video.play().catch(() => {})
  }

  pause(): void {
    this.video.pause()
  }

  setRate(rate: number): void {
    this.rate = rate
    this.video.playbackRate = rate
  }

  /** Nudges the playback rate (sync): `rate` for now, back to the chosen one on the next call. */
  nudge(rate: number): void {
    if (Math.abs(this.video.playbackRate - rate) > 0.001) this.video.playbackRate = rate
  }

  /** One frame forward or back (paused). */
  step(dir: 1 | -1): void {
    const t = Math.max(0, this.video.currentTime + dir * this.frameS)
    // A hair past the frame's start, so the frame shown is the one at t.
    this.seek(wallTime(this.base, t + 0.001))
  }

  destroy(): void {
    this.destroyed = true
    if (this.timer) clearInterval(this.timer)
    this.fetching?.abort()
    this.release()
  }

  private setStatus(state: PlayerState, message: string | null = null): void {
    if (this.status.state === state && this.status.message === message && this.status.codec === this.codec)
      return
    this.status = { state, message, codec: this.codec }
    this.o.onStatus?.(this.status)
  }

  private buffered(t: number): boolean {
    const b = this.video.buffered
    for (let i = 0; i < b.length; i++) if (t >= b.start(i) && t < b.end(i) - 0.02) return true
    return false
  }

  private release(): void {
    if (this.ms) {
      this.video.removeAttribute('src')
      this.video.load()
    }
    this.ms = null
    this.sb = null
    this.appended.clear()
  }

  /** A new MediaSource whose media time 0 is an hour before `wall` (room to seek back without a reset). */
  private reset(wall: number): void {
    this.release()
    this.base = Math.max(0, wall - 3_600_000)
  }

  private dropBuffer(): void {
    const sb = this.sb
    if (!sb || !this.ms || this.ms.readyState !== 'open') return
    try {
      if (sb.updating) sb.abort()
      if (sb.buffered.length > 0) sb.remove(0, Infinity)
    } catch {
      // The next append starts over (reset below if the SourceBuffer is gone).
    }
    this.appended.clear()
  }

  private ensureList(wall: number): void {
    if (this.listing || this.covers(wall)) return
    const from = Math.max(
      0,
      wall >= this.knownFrom && wall < this.knownUntil + 1 ? this.knownUntil : wall - 60_000,
    )
    const to = from + LIST_SPAN_MS
    this.listing = this.source
      .segments(this.cameraId, from, to, LIST_LIMIT)
      .then((got) => {
        if (this.destroyed) return
        const byId = new Map(this.known.map((s) => [s.id, s]))
        for (const s of got) byId.set(s.id, s)
        this.known = [...byId.values()].sort((a, b) => a.start - b.start)
        const until = got.length < LIST_LIMIT ? to : got.at(-1)!.end
        // Contiguous knowledge only: a list far from the last restarts it.
        if (from > this.knownUntil || until < this.knownFrom) {
          this.knownFrom = from
          this.knownUntil = until
        } else {
          this.knownFrom = Math.min(this.knownFrom, from)
          this.knownUntil = Math.max(this.knownUntil, until)
        }
      })
      .catch((err: unknown) => this.setStatus('error', err instanceof Error ? err.message : String(err)))
      .finally(() => {
        this.listing = null
      })
  }

  private pump(): void {
    if (this.destroyed) return
    const at = this.wallTime()
    this.ensureList(at)
    this.ensureList(at + (this.o.aheadS ?? 20) * 1000 * Math.max(1, this.rate))
    if (!this.covers(at)) return
    if (!this.hasDataAt(at)) {
      if (this.target !== null && this.ms === null)
        this.setStatus('no-recording', 'No recording at this time')
      else if (!this.buffered(mediaTime(this.base, at)))
        this.setStatus('no-recording', 'No recording at this time')
    }
    this.trim()
    if (this.fetching || (this.sb && this.sb.updating)) return
    const ahead = (this.o.aheadS ?? 20) * 1000 * Math.max(1, this.rate)
    const next = wanted(this.known, at, ahead).find((s) => !this.appended.has(s.id))
    if (!next) return
    void this.append(next)
  }

  private trim(): void {
    const sb = this.sb
    if (!sb || sb.updating || !this.ms || this.ms.readyState !== 'open' || this.target !== null) return
    const cur = this.video.currentTime
    const range = trimRange(sb.buffered.length ? sb.buffered.start(0) : null, cur, this.o.behindS ?? 30)
    if (!range) return
    try {
      sb.remove(range[0], range[1])
      const cutWall = wallTime(this.base, range[1])
      for (const s of this.known) if (s.end <= cutWall) this.appended.delete(s.id)
    } catch {
      // Busy after all: next time.
    }
  }

  private async append(seg: RecordingSegment): Promise<void> {
    const ctl = new AbortController()
    this.fetching = ctl
    if (this.status.state !== 'ready') this.setStatus('loading')
    try {
      const data = new Uint8Array(await this.source.file(seg.url, ctl.signal))
      if (ctl.signal.aborted || this.destroyed) return
      const init = parseInit(data)
      const frag = parseFragment(data, init)
      const timescale = init?.video?.timescale ?? frag?.timescale
      if (!init?.video || !frag || !timescale) throw new Error(`segment ${seg.id} is not fragmented MP4`)
      if (frag.samples > 0 && frag.duration > 0) this.frameS = frag.duration / frag.samples / timescale
      const codec = seg.codec ?? init.video.codec
      if (!codec) throw new Error(`segment ${seg.id} names no codec`)
      const sb = await this.sourceBuffer(codec)
      if (!sb || ctl.signal.aborted || this.destroyed) return
      await waitIdle(sb)
      if (ctl.signal.aborted || this.destroyed || this.sb !== sb) return
      sb.timestampOffset = timestampOffset(seg.start, this.base, frag.decodeTime ?? 0, timescale)
      await appendAndWait(sb, data)
      this.appended.add(seg.id)
      this.stats.segmentsAppended++
      this.stats.bytesAppended += data.byteLength
      this.arrived()
    } catch (err) {
      if (ctl.signal.aborted || this.destroyed) return
      if (err instanceof DOMException && err.name === 'QuotaExceededError') {
        this.o.behindS = Math.max(5, (this.o.behindS ?? 30) / 2)
      } else {
        this.setStatus('error', err instanceof Error ? err.message : String(err))
      }
    } finally {
      if (this.fetching === ctl) this.fetching = null
    }
  }

  /** A seek that was waiting for data lands once its time is buffered. */
  private arrived(): void {
    const t = this.target
    if (t !== null) {
      const m = mediaTime(this.base, t)
      if (this.buffered(m)) {
        this.target = null
        this.video.currentTime = m
      } else if (!this.hasDataAt(t)) {
        // In a gap: shown at the gap (the group moves on to the next recording).
        this.target = null
        this.video.currentTime = m
      }
    }
    if (this.target === null && this.hasDataAt(this.wallTime())) this.setStatus('ready')
  }

  private sourceBuffer(codec: string): Promise<SourceBuffer | null> {
    if (this.sb && this.ms?.readyState === 'open') {
      if (codec !== this.codec) {
        // Another codec or profile (the camera was changed): same SourceBuffer, new type.
        this.sb.changeType?.(mimeFor(codec))
        this.codec = codec
      }
      return Promise.resolve(this.sb)
    }
    if (!MediaSource.isTypeSupported(mimeFor(codec))) {
      this.codec = codec
      this.setStatus('unsupported', `This recording's codec (${codec}) cannot be played here`)
      return Promise.resolve(null)
    }
    const ms = new MediaSource()
    this.ms = ms
    this.codec = codec
    const url = URL.createObjectURL(ms)
    this.video.src = url
    return new Promise((resolve) => {
      ms.addEventListener(
        'sourceopen',
        () => {
          URL.revokeObjectURL(url)
          if (this.ms !== ms) return resolve(null)
          const sb = ms.addSourceBuffer(mimeFor(codec))
          sb.mode = 'segments'
          this.sb = sb
          resolve(sb)
        },
        { once: true },
      )
    })
  }
}

function waitIdle(sb: SourceBuffer): Promise<void> {
  if (!sb.updating) return Promise.resolve()
  return new Promise((resolve) => sb.addEventListener('updateend', () => resolve(), { once: true }))
}

function appendAndWait(sb: SourceBuffer, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      sb.removeEventListener('error', fail)
      resolve()
    }
    const fail = () => {
      sb.removeEventListener('updateend', done)
      reject(new Error('the browser could not append this segment'))
    }
    sb.addEventListener('updateend', done, { once: true })
    sb.addEventListener('error', fail, { once: true })
    try {
      sb.appendBuffer(data as Uint8Array<ArrayBuffer>)
    } catch (err) {
      sb.removeEventListener('updateend', done)
      sb.removeEventListener('error', fail)
      reject(err instanceof Error ? err : new Error(String(err)))
    }
  })
}
