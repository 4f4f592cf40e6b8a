/**
 * Network viewers of a camera: an MJPEG HTTP response, a fragmented-MP4 HTTP response (`live.mp4`) or a
 * WebSocket (JPEG frames, or the fMP4 protocol of shared/schemas/fmp4-stream.ts). Each is a consumer of
 * its camera's channel (pipeline/consumer.ts), like a recorder: the channel hands it one unit at a time,
 * the next once the socket has taken it. A JPEG viewer that is behind gets only the latest frame; a video
 * viewer that is behind skips to the next key frame (pipeline/attachment.ts). A slow or stalled viewer
 * costs bounded memory and never delays anyone else. Units are written as the camera sent them: never
 * copied, never re-encoded.
 */
import type { ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import type { AttachOptions, Consumer, Detach } from './pipeline/consumer'
import type { InitSegment, JpegUnit, MediaItem, MediaUnit, VideoUnit } from './pipeline/units'
import type { StreamName } from './sources/registry'
import { fallback, playable, type StreamChoice, type ViewerAbilities } from './stream-choice'
import type { StreamStatusMessage } from '../../shared/schemas/video'
import type { Fmp4InitMessage, Fmp4ErrorMessage } from '../../shared/schemas/fmp4-stream'

/** What a viewer watches: one of a camera's streams. */
export interface ViewerChannel {
  attach(consumer: Consumer, opts?: AttachOptions & { stream?: StreamName }): Detach
  hasStream(stream: StreamName): boolean
}

export type ViewerTransport = 'mjpeg' | 'ws' | 'mp4'

/**
 * What waits for one viewer while its socket is busy: about 2 s of video at 25 fps. A viewer further
 * behind is no longer live: it drops what waits and resumes at the next key frame. (Recorders keep the
 * channel's larger bound: they must not skip.) Each waiting unit is a view of a buffer every consumer
 * shares, but it keeps that buffer alive: 16 stalled viewers at 4 Mbit/s would otherwise hold 16 MiB each.
 */
export const VIEWER_QUEUE = { maxQueueUnits: 50, maxQueueBytes: 2 * 1024 * 1024 } as const
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
  private channel: ViewerChannel | undefined
  /** The stream watched, and whether it is what was asked for (video cameras). */
  protected choice: StreamChoice = { stream: 'main', mode: 'direct' }

  constructor(fps: number | undefined) {
    this.minIntervalMs = fps && fps > 0 ? 1000 / fps : 0
    this.cls = this.minIntervalMs > 0 ? 'reduced' : 'full'
  }

  /** Watches one of a camera's streams (main unless told) until the viewer closes. */
  watch(channel: ViewerChannel, choice?: StreamChoice): void {
    this.channel = channel
    if (choice) this.choice = choice
    this.detach = channel.attach(this, {
      needs: 'live',
      group: this.cls,
      stream: this.choice.stream,
      ...VIEWER_QUEUE,
    })
    if (this.closed) this.detach()
  }

  /** Moves to another stream of the same camera (a fallback): it starts with that stream's init segment. */
  protected switchTo(choice: StreamChoice): void {
    const channel = this.channel
    this.detach?.()
    this.busy = false
    if (!channel || this.closed) return
    this.watch(channel, choice)
  }

  protected hasStream(stream: StreamName): boolean {
    return this.channel?.hasStream(stream) ?? false
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
    if (this.closed) return done()
    const finished = (err?: Error | null) => {
      this.busy = false
      // A failed write: the socket's close or error handler closes the viewer.
      if (!err && !this.closed) done()
    }
    this.busy = true
    if (item.kind === 'jpeg') this.write(item, finished)
    else if (item.kind === 'init') this.writeInit(item, finished)
    else this.writeVideo(item, finished)
  }

  /** A video stream's init segment (viewers that show JPEG only take and ignore it). */
  protected writeInit(_init: InitSegment, done: (err?: Error | null) => void): void {
    done()
  }

  /** One fMP4 fragment. */
  protected writeVideo(_unit: VideoUnit, done: (err?: Error | null) => void): void {
    done()
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
    private readonly abilities: ViewerAbilities = { hevc: false },
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

  /**
   * The text `init` message (codec, stream, mode), then the init segment. A stream this viewer cannot
   * decode (H.265 without a decoder) moves it to the sub stream or the transcode, or ends it with a reason.
   */
  protected override writeInit(init: InitSegment, done: (err?: Error | null) => void): void {
    if (!playable(init, this.abilities)) {
      const next = fallback(this.choice, this.hasStream('sub'))
      if (next) {
        this.switchTo(next)
        return
      }
      this.text({
        type: 'error',
        reason: `This camera's video (${init.codec === 'h265' ? 'H.265' : init.codec}) cannot be shown here`,
      })
      this.close('codec not playable')
      return
    }
    const msg: Fmp4InitMessage = {
      type: 'init',
      codec: init.codecString,
      stream: this.choice.stream === 'main' && this.choice.mode === 'direct' ? 'main' : 'sub',
      mode: this.choice.mode,
      ...(init.width ? { width: init.width } : {}),
      ...(init.height ? { height: init.height } : {}),
    }
    if (this.ws.readyState !== this.ws.OPEN) return done(new Error('closed'))
    this.ws.send(JSON.stringify(msg))
    this.ws.send(init.data, { binary: true, compress: false }, done)
  }

  protected override writeVideo(unit: VideoUnit, done: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return done(new Error('closed'))
    this.ws.send(unit.data, { binary: true, compress: false }, done)
  }

  private text(msg: Fmp4ErrorMessage | StreamStatusMessage): void {
    if (this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount < 1024 * 1024) {
      this.ws.send(JSON.stringify(msg))
    }
  }

  override status(msg: StreamStatusMessage): void {
    this.text(msg)
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

/**
 * Live fragmented MP4 over one chunked HTTP response (`live.mp4`): the init segment, then one fragment per
 * frame, so a `<video>` element, VLC or ffprobe plays a camera from the station. The stream is the
 * camera's as is (H.265 too: players outside the browser decode it). When the camera's stream changes (a
 * new init segment: it reconnected or its settings changed), the response ends: a player cannot follow a
 * new init segment in the middle of one MP4 file, and reconnects.
 */
export class Mp4Viewer extends Viewer {
  readonly transport = 'mp4' as const
  private init: InitSegment | undefined

  constructor(private readonly res: ServerResponse) {
    super(undefined)
    res.writeHead(200, {
      'content-type': 'video/mp4',
      'cache-control': 'no-store, private, max-age=0',
      pragma: 'no-cache',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    })
    res.on('close', () => this.close('viewer left'))
    res.on('error', () => this.close('socket error'))
  }

  protected write(_frame: JpegUnit, done: (err?: Error | null) => void): void {
    done()
  }

  protected override writeInit(init: InitSegment, done: (err?: Error | null) => void): void {
    if (this.init) {
      this.close('camera stream changed')
      return
    }
    this.init = init
    this.res.write(init.data, done)
  }

  protected override writeVideo(unit: VideoUnit, done: (err?: Error | null) => void): void {
    this.res.write(unit.data, done)
  }

  protected closeSocket(reason: string): void {
    if (this.res.writableEnded) return
    // Ends the chunked body cleanly when the camera changed or the station stops; cuts it otherwise.
    if (reason === 'viewer left' || reason === 'socket error') this.res.destroy()
    else this.res.end()
  }

  get bufferedBytes(): number {
    return this.res.writableLength + (this.res.socket?.writableLength ?? 0)
  }
}
