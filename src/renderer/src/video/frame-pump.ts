/**
 * One camera's frames over `/ws/stream/:id`, drawn straight onto a canvas: an on-page canvas, or an
 * OffscreenCanvas inside the video worker (frame-worker.ts), where the page's main thread does no work
 * per frame at all. No frame passes through React state. Decoding is asynchronous and latest-frame-wins:
 * while one frame decodes, only the newest arrival waits. Where WebCodecs' ImageDecoder exists, frames
 * stay ArrayBuffers (a Blob would carry every frame to the browser process and back before decoding);
 * elsewhere they are Blobs for createImageBitmap. Reconnects with
 * backoff; reports fps and frame age about once a second, and the camera's status messages as they come.
 * Uses only what a page and a worker both have (WebSocket, ImageDecoder or createImageBitmap, timers).
 */
import type { StreamStatusMessage } from '../../../shared/contract'
import { backoffDelay } from '../transport/live-channel'

export interface FrameStats {
  /** Frames drawn over the last second. */
  fps: number
  /** When the last frame arrived (ms since epoch), or null. */
  lastFrameAt: number | null
  frames: number
  connected: boolean
}

export interface Size {
  w: number
  h: number
}

export interface FramePumpOptions {
  cameraId: number
  /** Lower rate for grid tiles; undefined for full rate. */
  fps: number | undefined
  canvas: HTMLCanvasElement | OffscreenCanvas
  wsBaseUrl: string
  /** A stream token; `refused`: the one the station just refused (expired, or from before a restart). */
  token: (refused?: string) => Promise<string>
  /** The canvas's size on screen in device pixels (null while unknown or hidden). */
  box: () => Size | null
  onStats?: (s: FrameStats) => void
  onStatus?: (s: StreamStatusMessage) => void
}

const OPEN = 1
const HAS_IMAGE_DECODER = typeof ImageDecoder !== 'undefined'

type Encoded = ArrayBuffer | Blob

/** A decoded frame, ready to draw, and how to release it. */
interface Decoded {
  image: CanvasImageSource
  w: number
  h: number
  close(): void
}

async function decodeJpeg(data: Encoded, size: Size | null): Promise<Decoded> {
  if (data instanceof ArrayBuffer) {
    // With a desired size, JPEG decodes scaled down (1/2, 1/4, 1/8) for much less work.
    const decoder = new ImageDecoder({
      data,
      type: 'image/jpeg',
      transfer: [data],
      ...(size ? { desiredWidth: size.w, desiredHeight: size.h } : {}),
    })
    try {
      const { image } = await decoder.decode()
      return { image, w: image.displayWidth, h: image.displayHeight, close: () => image.close() }
    } finally {
      decoder.close()
    }
  }
  const bmp = size
    ? await createImageBitmap(data, { resizeWidth: size.w, resizeHeight: size.h, resizeQuality: 'low' })
    : await createImageBitmap(data)
  return { image: bmp, w: bmp.width, h: bmp.height, close: () => bmp.close() }
}

export class FramePump {
  private socket: WebSocket | null = null
  private stopped = false
  private attempt = 0
  /** The token the station refused at the last upgrade: the next try asks for a fresh one. */
  private refused: string | undefined
  private retry: ReturnType<typeof setTimeout> | null = null
  private ticker: ReturnType<typeof setInterval> | null = null
  private decoding = false
  private waiting: Encoded | null = null
  private drawnThisSecond = 0
  private frames = 0
  private lastFrameAt: number | null = null
  private fps: number | undefined
  private readonly ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
  /** The camera's frame size (known after the first frame). */
  private source: Size | null = null

  constructor(private readonly o: FramePumpOptions) {
    this.fps = o.fps
    this.ctx = o.canvas.getContext('2d', { alpha: false }) as
      CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
  }

  start(): void {
    this.stopped = false
    this.ticker = setInterval(() => this.tick(), 1000)
    void this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.retry) clearTimeout(this.retry)
    if (this.ticker) clearInterval(this.ticker)
    const s = this.socket
    this.socket = null
    if (s) {
      s.onclose = s.onmessage = s.onopen = null
      s.close(1000, 'viewer left')
    }
  }

  /** Changes the rate without reconnecting (e.g. a tile going fullscreen). */
  setFps(fps: number | undefined): void {
    this.fps = fps
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ fps: fps ?? null }))
  }

  private async connect(): Promise<void> {
    let token: string
    try {
      token = await this.o.token(this.refused)
      this.refused = undefined
    } catch {
      return this.scheduleRetry()
    }
    if (this.stopped) return
    const q = new URLSearchParams({ token })
    if (this.fps !== undefined) q.set('fps', String(this.fps))
    const s = new WebSocket(`${this.o.wsBaseUrl}/ws/stream/${this.o.cameraId}?${q}`)
    s.binaryType = HAS_IMAGE_DECODER ? 'arraybuffer' : 'blob'
    this.socket = s
    let opened = false
    s.onopen = () => {
      opened = true
      this.attempt = 0
    }
    s.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data === 'string') this.status(ev.data)
      else if (ev.data instanceof ArrayBuffer || ev.data instanceof Blob) this.frame(ev.data)
    }
    s.onclose = () => {
      if (this.socket === s) this.socket = null
      // Refused at the upgrade (a browser sees only a close): the token may be void (a restarted station).
      if (!opened) this.refused = token
      this.scheduleRetry()
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return
    const delay = backoffDelay(this.attempt++, 1000, 15_000, Math.random())
    this.retry = setTimeout(() => void this.connect(), delay)
  }

  private status(text: string): void {
    try {
      const msg = JSON.parse(text) as StreamStatusMessage
      if (msg.type === 'status') this.o.onStatus?.(msg)
    } catch {
      /* not for us */
    }
  }

  private frame(data: Encoded): void {
    this.frames++
    this.lastFrameAt = Date.now()
    if (this.decoding) {
      this.waiting = data
      return
    }
    void this.draw(data)
  }

  /**
   * The size to decode to: the canvas's on-screen size (device pixels), never above the source. A grid
   * tile decodes and paints a quarter of the pixels or less.
   */
  private target(): Size | null {
    const src = this.source
    const box = this.o.box()
    if (!src || !box || box.w <= 0 || box.h <= 0) return null
    const scale = Math.min(1, box.w / src.w, box.h / src.h)
    return { w: Math.max(1, Math.round(src.w * scale)), h: Math.max(1, Math.round(src.h * scale)) }
  }

  private async draw(data: Encoded): Promise<void> {
    this.decoding = true
    try {
      const t = this.target()
      // Decoded straight to about the tile's size; now and then a full decode, in case the camera's
      // resolution changed.
      const resize =
        t && this.source && (t.w < this.source.w || t.h < this.source.h) && this.frames % 250 !== 0
      const frame = await decodeJpeg(data, resize ? t : null)
      if (!resize) this.source = { w: frame.w, h: frame.h }
      // ImageDecoder gives the nearest size the JPEG scales to: drawn at the tile's size.
      const out = (resize ? t : this.target()) ?? { w: frame.w, h: frame.h }
      if (!this.stopped && this.ctx) {
        const c = this.o.canvas
        if (c.width !== out.w || c.height !== out.h) {
          c.width = out.w
          c.height = out.h
        }
        this.ctx.drawImage(frame.image, 0, 0, out.w, out.h)
        this.drawnThisSecond++
      }
      frame.close()
    } catch {
      /* a frame that does not decode is skipped */
    } finally {
      this.decoding = false
    }
    const next = this.waiting
    this.waiting = null
    if (next && !this.stopped) void this.draw(next)
  }

  private tick(): void {
    const fps = this.drawnThisSecond
    this.drawnThisSecond = 0
    this.o.onStats?.({
      fps,
      lastFrameAt: this.lastFrameAt,
      frames: this.frames,
      connected: this.socket?.readyState === OPEN,
    })
  }
}
