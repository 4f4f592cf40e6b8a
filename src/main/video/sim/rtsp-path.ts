/**
 * One served RTSP path (`/cam1/main`): an H.264 stream parsed and cut into RTP payloads once, looped
 * forever at its frame rate by one pacing clock shared by every client of the path (fan-out). Frame n of the
 * clock is due at `startedAt + n / fps` and carries the 90 kHz timestamp `n * 90000 / fps`, so timestamps
 * stay continuous across the loop and across idle spells (the clock sleeps while nobody plays, and wakes
 * where a live camera would be). Timers are set for the next due frame (drift corrected, never a busy loop).
 */
import { readFileSync } from 'node:fs'
import { H264_CLOCK_RATE, packetizeAccessUnit, type RtpPayload } from './rtp-packetizer'
import { parseAnnexB, type H264Stream } from './h264-annexb'

export interface PacketizedUnit {
  payloads: RtpPayload[]
  keyframe: boolean
  /** Payload bytes (without RTP headers). */
  bytes: number
  /** Index in the file's access units. */
  index: number
}

/** A file parsed and cut into RTP payloads: shared by every path that serves the same file. */
export interface PacketizedStream {
  stream: H264Stream
  units: PacketizedUnit[]
  /** Largest access unit (payload bytes): a client's send buffer may exceed its bound by this much. */
  largestUnit: number
  keyIndices: number[]
}

/** Reads, parses and packetizes an Annex-B file (once per file: the server shares the result). */
export function loadStream(file: string, maxPayload?: number): PacketizedStream {
  const stream = parseAnnexB(readFileSync(file))
  const units = stream.units.map((u, index) => {
    const payloads = packetizeAccessUnit(u.nals, maxPayload)
    return { payloads, keyframe: u.keyframe, bytes: payloads.reduce((s, p) => s + p.data.length, 0), index }
  })
  return {
    stream,
    units,
    largestUnit: Math.max(...units.map((u) => u.bytes)),
    keyIndices: units.filter((u) => u.keyframe).map((u) => u.index),
  }
}

/** What a playing client implements to receive the path's frames. */
export interface PathSubscriber {
  deliver(unit: PacketizedUnit, timestamp: number, frame: number): void
  /** The clock jumped (the process was too late to catch up): resume at the next keyframe. */
  resync(): void
}

export interface RtspPathOptions {
  /** e.g. `/cam1/main`. */
  path: string
  /** An H.264 Annex-B elementary stream. */
  file: string
  fps: number
  /** Largest RTP payload (default 1400). */
  maxPayload?: number
  /** Shown in the SDP `s=` line. */
  title?: string
  width?: number
  height?: number
}

/** Frames emitted at once after a late timer; further behind, the clock jumps to the present. */
const MAX_CATCH_UP_FRAMES = 25

export class RtspPath {
  readonly name: string
  readonly fps: number
  readonly stream: H264Stream
  readonly units: PacketizedUnit[]
  /** Largest access unit (payload bytes): a client's send buffer may exceed its bound by this much. */
  readonly largestUnit: number
  private readonly keyIndices: number[]
  private readonly subscribers = new Set<PathSubscriber>()
  private readonly startedAt = performance.now()
  private readonly intervalMs: number
  private nextFrame = 0
  private timer: NodeJS.Timeout | undefined
  /** False while the path is killed: no new clients; see `RtspSimServer.killPath`. */
  alive = true
  framesEmitted = 0
  /** Frames skipped because the event loop was too late to send them on time. */
  clockJumps = 0

  constructor(
    readonly opts: RtspPathOptions,
    packetized: PacketizedStream = loadStream(opts.file, opts.maxPayload),
  ) {
    if (!(opts.fps > 0 && opts.fps <= 240)) throw new Error(`fps must be between 0 and 240, got ${opts.fps}`)
    this.name = normalizePath(opts.path)
    this.fps = opts.fps
    this.intervalMs = 1000 / opts.fps
    this.stream = packetized.stream
    this.units = packetized.units
    this.largestUnit = packetized.largestUnit
    this.keyIndices = packetized.keyIndices
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** The 90 kHz timestamp of clock frame n. */
  timestampOf(frame: number): number {
    return Math.round((frame * H264_CLOCK_RATE) / this.fps) >>> 0
  }

  /** The path's 90 kHz clock at a `performance.now()` instant (for RTCP sender reports). */
  timestampAt(now: number): number {
    return Math.round(((now - this.startedAt) / 1000) * H264_CLOCK_RATE) >>> 0
  }

  /** The clock frame that will be sent next. */
  private upcomingFrame(now = performance.now()): number {
    if (this.timer) return this.nextFrame
    return Math.max(this.nextFrame, Math.ceil((now - this.startedAt) / this.intervalMs))
  }

  /** Clock frame and timestamp of the next keyframe to be sent: where a client that plays now starts. */
  nextKeyframe(): { frame: number; timestamp: number } {
    const from = this.upcomingFrame()
    const pos = from % this.units.length
    const key = this.keyIndices.find((i) => i >= pos) ?? this.keyIndices[0]! + this.units.length
    const frame = from + (key - pos)
    return { frame, timestamp: this.timestampOf(frame) }
  }

  attach(sub: PathSubscriber): void {
    this.subscribers.add(sub)
    if (!this.timer) {
      this.nextFrame = this.upcomingFrame()
      this.schedule()
    }
  }

  detach(sub: PathSubscriber): void {
    this.subscribers.delete(sub)
    if (this.subscribers.size === 0) this.sleep()
  }

  /** Detaches everyone and stops the clock. */
  close(): void {
    this.subscribers.clear()
    this.sleep()
  }

  private sleep(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    const due = this.startedAt + this.nextFrame * this.intervalMs
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - performance.now()))
  }

  private tick(): void {
    const now = performance.now()
    const dueNow = Math.floor((now - this.startedAt) / this.intervalMs)
    if (dueNow - this.nextFrame > MAX_CATCH_UP_FRAMES) {
      this.clockJumps += dueNow - this.nextFrame
      this.nextFrame = dueNow
      for (const s of this.subscribers) s.resync()
    }
    while (this.nextFrame <= dueNow && this.subscribers.size > 0) {
      const frame = this.nextFrame++
      const unit = this.units[frame % this.units.length]!
      const ts = this.timestampOf(frame)
      this.framesEmitted++
      for (const s of this.subscribers) s.deliver(unit, ts, frame)
    }
    if (this.subscribers.size > 0) this.schedule()
    else this.timer = undefined
  }

  /** The session description (RFC 4566, RFC 6184 section 8.2.1) for DESCRIBE. */
  sdp(host: string): string {
    const { sps, pps, profileLevelId } = this.stream
    const fmtp = [
      'packetization-mode=1',
      `profile-level-id=${profileLevelId}`,
      `sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}`,
    ].join(';')
    const lines = [
      'v=0',
      `o=- ${Math.floor(this.startedAt)} 1 IN IP4 ${host}`,
      `s=${this.opts.title ?? `Guard Station simulator ${this.name}`}`,
      'c=IN IP4 0.0.0.0',
      't=0 0',
      'a=control:*',
      'a=range:npt=0-',
      'm=video 0 RTP/AVP 96',
      'a=rtpmap:96 H264/90000',
      `a=fmtp:96 ${fmtp}`,
      `a=framerate:${this.fps}`,
      ...(this.opts.width && this.opts.height
        ? [`a=x-dimensions:${this.opts.width},${this.opts.height}`]
        : []),
      `a=control:${TRACK}`,
    ]
    return lines.join('\r\n') + '\r\n'
  }
}

/** The control name of the only track, relative to the path's Content-Base. */
export const TRACK = 'trackID=0'

/** `/cam1/main/` and `cam1/main` alike become `/cam1/main`. */
export function normalizePath(p: string): string {
  const trimmed = p.replace(/\/+$/, '')
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}
