/**
 * Network viewers of a camera: an MJPEG HTTP response or a WebSocket. Each is a consumer of its camera's
 * channel (pipeline/consumer.ts), like a recorder: the channel hands it one frame at a time, the next once
 * the socket has taken it, and meanwhile keeps at most one frame waiting (a newer one replaces it). A slow
 * or stalled viewer therefore skips frames, costs at most two frames of memory, and never delays anyone
 * else. Frames are written as the camera sent them: never copied, never re-encoded.
 */
import type { ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import type { Consumer, Detach, UnitSource } from './pipeline/consumer'
import type { JpegUnit, MediaItem, MediaUnit } from './pipeline/units'
import type { StreamStatusMessage } from '../../shared/schemas/video'

export type ViewerTransport = 'mjpeg' | 'ws'
/** full: every frame · reduced: the viewer asked for a lower rate (grid thumbnails). */
export type ViewerClass = 'full' | 'reduced'

export abstract class Viewer implements Consumer {
  private static nextId = 1
  readonly id = Viewer.nextId++
  readonly role = 'viewer' as const
  readonly cls: ViewerClass
  abstract readonly transport: ViewerTransport
  closed = false
  private busy = false
  private minIntervalMs: number
  private nextDueAt = 0
  private detach: Detach | undefined

  constructor(fps: number | undefined) {
    this.minIntervalMs = fps && fps > 0 ? 1000 / fps : 0
    this.cls = this.minIntervalMs > 0 ? 'reduced' : 'full'
  }

  /** Watches a camera's channel until the viewer closes. */
  watch(channel: UnitSource): void {
    this.detach = channel.attach(this, { needs: 'live', group: this.cls })
    if (this.closed) this.detach()
  }

  /** Changes the rate a viewer asked for (a tile going fullscreen); the class stays what it was opened as. */
  setFps(fps: number | undefined): void {
    this.minIntervalMs = fps && fps > 0 ? 1000 / fps : 0
    this.nextDueAt = 0
  }

  /** The viewer's rate: frames ahead of its schedule are skipped. */
  accept(unit: MediaUnit): boolean {
    if (this.minIntervalMs <= 0 || unit.kind !== 'jpeg') return true
    // Allow a little early (half a 25 fps frame) so 2 fps from a 25 fps camera is 2 fps, not 1.9.
    if (unit.receivedAt < this.nextDueAt - 20) return false
    // Keep to the schedule (exact average rate) unless the camera paused for longer than an interval.
    const fresh = this.nextDueAt === 0 || unit.receivedAt - this.nextDueAt > this.minIntervalMs
    this.nextDueAt = (fresh ? unit.receivedAt : this.nextDueAt) + this.minIntervalMs
    return true
  }

  deliver(item: MediaItem, done: () => void): void {
    // Viewers show JPEG frames; video reaches them once the station serves it (not yet).
    if (this.closed || item.kind !== 'jpeg') return done()
    this.busy = true
    this.write(item, (err) => {
      this.busy = false
      // A failed write: the socket's close or error handler closes the viewer.
      if (!err && !this.closed) done()
    })
  }

  /** A frame is being written (the socket has not taken it yet). */
  get isBusy(): boolean {
    return this.busy
  }

  /** Writes one frame; calls `done` once the socket has taken it. */
  protected abstract write(frame: JpegUnit, done: (err?: Error | null) => void): void
  /** Tells the viewer the camera's state changed (WebSocket viewers only). */
  status(_msg: StreamStatusMessage): void {}

  /** Called about twice a second: WebSocket viewers ping, and drop a peer that stopped answering. */
  tick(_now: number): void {}

  /** The channel let go of it (camera disabled or deleted, viewer stalled, station stopping). */
  end(reason: string): void {
    this.close(reason)
  }

  close(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.closeSocket(reason)
    this.detach?.()
  }

  protected abstract closeSocket(reason: string): void

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

  protected write(frame: JpegUnit, done: (err?: Error | null) => void): void {
    const res = this.res
    res.cork()
    res.write(`${PART_HEAD}${frame.data.length}\r\n\r\n`)
    res.write(frame.data)
    res.write(PART_TAIL, done)
    res.uncork()
  }

  protected closeSocket(): void {
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

  override tick(now: number): void {
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

  protected write(frame: JpegUnit, done: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) {
      done(new Error('closed'))
      return
    }
    this.ws.send(frame.data, { binary: true, compress: false }, done)
  }

  override status(msg: StreamStatusMessage): void {
    if (this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount < 1024 * 1024) {
      this.ws.send(JSON.stringify(msg))
    }
  }

  protected closeSocket(reason: string): void {
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
