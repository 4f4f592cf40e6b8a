/**
 * Viewers of a camera: an MJPEG HTTP response or a WebSocket. Each holds at most one frame in flight (being
 * written to its socket) and one pending frame; a newer frame replaces the pending one. A slow or stalled
 * viewer therefore skips frames, costs at most two frames of memory, and never delays anyone else.
 * Frames are written as the camera sent them: never copied, never re-encoded.
 */
import type { ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'

export interface Frame {
  data: Buffer
  seq: number
  /** performance.now() when the station received it. */
  at: number
  /** Epoch ms when the station received it. */
  wallAt: number
}

export type ViewerTransport = 'mjpeg' | 'ws'
/** full: every frame · reduced: the viewer asked for a lower rate (grid thumbnails). */
export type ViewerClass = 'full' | 'reduced'

export interface ViewerCounters {
  sent: number
  bytes: number
  /** Frames skipped because the viewer was still busy with an earlier one. */
  skipped: number
}

export abstract class Viewer {
  private static nextId = 1
  readonly id = Viewer.nextId++
  readonly cls: ViewerClass
  abstract readonly transport: ViewerTransport
  readonly counters: ViewerCounters = { sent: 0, bytes: 0, skipped: 0 }
  /** The channel's totals for this viewer's class (kept when the viewer leaves). */
  totals: ViewerCounters = { sent: 0, bytes: 0, skipped: 0 }
  private inflight = false
  /** performance.now() when the frame in flight was handed to the socket. */
  private inflightSince = 0
  private pending: Frame | undefined
  private minIntervalMs: number
  private nextDueAt = 0
  closed = false
  /** Called once when the viewer goes away (the channel forgets it). */
  onClose: (() => void) | undefined
  /** Called when the socket took a frame, with how long it spent in the station (ms). */
  onDelivered: ((ms: number) => void) | undefined
  private inflightFrameAt = 0

  constructor(fps: number | undefined) {
    this.minIntervalMs = fps && fps > 0 ? 1000 / fps : 0
    this.cls = this.minIntervalMs > 0 ? 'reduced' : 'full'
  }

  /** Changes the rate a viewer asked for (a tile going fullscreen); the class stays what it was opened as. */
  setFps(fps: number | undefined): void {
    this.minIntervalMs = fps && fps > 0 ? 1000 / fps : 0
    this.nextDueAt = 0
  }

  /** Offers the newest frame: sent now, kept as the one pending, or skipped for the viewer's rate. */
  offer(frame: Frame): void {
    if (this.closed) return
    if (this.minIntervalMs > 0) {
      // Allow a little early (half a 25 fps frame) so 2 fps from a 25 fps camera is 2 fps, not 1.9.
      if (frame.at < this.nextDueAt - 20) return
      // Keep to the schedule (exact average rate) unless the camera paused for longer than an interval.
      const fresh = this.nextDueAt === 0 || frame.at - this.nextDueAt > this.minIntervalMs
      this.nextDueAt = (fresh ? frame.at : this.nextDueAt) + this.minIntervalMs
    }
    if (this.inflight) {
      if (this.pending) {
        this.counters.skipped++
        this.totals.skipped++
      }
      this.pending = frame
      return
    }
    this.send(frame)
  }

  /** How long the frame in flight has been waiting for the socket (0 when idle). */
  stalledFor(now: number): number {
    return this.inflight ? now - this.inflightSince : 0
  }

  get isBusy(): boolean {
    return this.inflight
  }

  private send(frame: Frame): void {
    this.inflight = true
    this.inflightSince = performance.now()
    this.inflightFrameAt = frame.at
    this.counters.sent++
    this.counters.bytes += frame.data.length
    this.totals.sent++
    this.totals.bytes += frame.data.length
    this.write(frame, this.written)
  }

  /** The socket took the frame: send the pending one, if any. */
  private readonly written = (err?: Error | null): void => {
    this.inflight = false
    if (err || this.closed) return
    this.onDelivered?.(performance.now() - this.inflightFrameAt)
    const next = this.pending
    if (next) {
      this.pending = undefined
      this.send(next)
    }
  }

  /** Writes one frame; calls `done` once the socket has taken it. */
  protected abstract write(frame: Frame, done: (err?: Error | null) => void): void
  /** Tells the viewer the camera's state changed (WebSocket viewers only). */
  status(_msg: object): void {}

  /** Called about twice a second: WebSocket viewers ping, and drop a peer that stopped answering. */
  keepAlive(_now: number): void {}

  close(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.pending = undefined
    this.end(reason)
    this.onClose?.()
  }

  protected abstract end(reason: string): void

  /** Bytes written to this viewer's socket that it has not taken yet (user space). */
  abstract get bufferedBytes(): number
}

export const MJPEG_BOUNDARY = 'guardstationframe'
const PART_HEAD = `Content-Type: image/jpeg\r\nContent-Length: `
/** Each part is followed by the next delimiter at once, so browsers show a frame without waiting for the next. */
const PART_TAIL = Buffer.from(`\r\n--${MJPEG_BOUNDARY}\r\n`)

export class MjpegViewer extends Viewer {
  readonly transport = 'mjpeg' as const

  constructor(
    private readonly res: ServerResponse,
    fps: number | undefined,
  ) {
    super(fps)
    res.writeHead(200, {
      'content-type': `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`,
      'cache-control': 'no-store, private, max-age=0',
      pragma: 'no-cache',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    })
    res.write(`--${MJPEG_BOUNDARY}\r\n`)
    res.on('close', () => this.close('viewer left'))
    res.on('error', () => this.close('socket error'))
  }

  protected write(frame: Frame, done: (err?: Error | null) => void): void {
    const res = this.res
    res.cork()
    res.write(`${PART_HEAD}${frame.data.length}\r\n\r\n`)
    res.write(frame.data)
    res.write(PART_TAIL, done)
    res.uncork()
  }

  protected end(): void {
    if (!this.res.writableEnded) this.res.destroy()
  }

  get bufferedBytes(): number {
    return this.res.writableLength + (this.res.socket?.writableLength ?? 0)
  }
}

export class WsViewer extends Viewer {
  readonly transport = 'ws' as const
  private lastPing = performance.now()
  private alive = true

  constructor(
    private readonly ws: WebSocket,
    fps: number | undefined,
    private readonly pingMs: number,
  ) {
    super(fps)
    ws.on('close', () => this.close('viewer left'))
    ws.on('error', () => this.close('socket error'))
    ws.on('pong', () => {
      this.alive = true
    })
  }

  override keepAlive(now: number): void {
    if (now - this.lastPing < this.pingMs) return
    if (!this.alive) {
      this.ws.terminate()
      this.close('no pong')
      return
    }
    this.alive = false
    this.lastPing = now
    this.ws.ping()
  }

  protected write(frame: Frame, done: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) {
      done(new Error('closed'))
      return
    }
    this.ws.send(frame.data, { binary: true, compress: false }, done)
  }

  override status(msg: object): void {
    if (this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount < 1024 * 1024) {
      this.ws.send(JSON.stringify(msg))
    }
  }

  protected end(reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(reason === 'viewer left' ? 1000 : 1001, reason.slice(0, 100))
    }
    // A peer that never answers the close handshake is cut after a while.
    setTimeout(() => this.ws.terminate(), 5000).unref()
  }

  get bufferedBytes(): number {
    return this.ws.bufferedAmount
  }
}
