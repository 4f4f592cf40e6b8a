/**
 * One camera's frames over `/ws/stream/:id`, drawn straight onto a canvas: no frame passes through
 * React state. Decoding is off the main thread (createImageBitmap) and latest-frame-wins: while one frame
 * decodes, only the newest arrival waits. Reconnects with backoff; reports fps and frame age about once a
 * second, and the camera's status messages as they come.
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

export interface FrameStreamOptions {
  cameraId: number
  /** Lower rate for grid tiles; undefined for full rate. */
  fps: number | undefined
  canvas: HTMLCanvasElement
  wsBaseUrl: string
  token: () => Promise<string>
  onStats?: (s: FrameStats) => void
  onStatus?: (s: StreamStatusMessage) => void
}

export class FrameStream {
  private socket: WebSocket | null = null
  private stopped = false
  private attempt = 0
  private retry: ReturnType<typeof setTimeout> | null = null
  private ticker: ReturnType<typeof setInterval> | null = null
  private decoding = false
  private waiting: Blob | null = null
  private drawnThisSecond = 0
  private frames = 0
  private lastFrameAt: number | null = null
  private fps: number | undefined
  private readonly ctx: CanvasRenderingContext2D | null
  /** The camera's frame size (known after the first frame). */
  private source: { w: number; h: number } | null = null

  constructor(private readonly o: FrameStreamOptions) {
    this.fps = o.fps
    this.ctx = o.canvas.getContext('2d')
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
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ fps: fps ?? null }))
  }

  private async connect(): Promise<void> {
    let token: string
    try {
      token = await this.o.token()
    } catch {
      return this.scheduleRetry()
    }
    if (this.stopped) return
    const q = new URLSearchParams({ token })
    if (this.fps !== undefined) q.set('fps', String(this.fps))
    const s = new WebSocket(`${this.o.wsBaseUrl}/ws/stream/${this.o.cameraId}?${q}`)
    s.binaryType = 'blob'
    this.socket = s
    s.onopen = () => {
      this.attempt = 0
    }
    s.onmessage = (ev: MessageEvent<unknown>) => {
      if (ev.data instanceof Blob) this.frame(ev.data)
      else if (typeof ev.data === 'string') this.status(ev.data)
    }
    s.onclose = () => {
      if (this.socket === s) this.socket = null
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

  private frame(blob: Blob): void {
    this.frames++
    this.lastFrameAt = Date.now()
    if (this.decoding) {
      this.waiting = blob
      return
    }
    void this.draw(blob)
  }

  /**
   * The size to decode to: the tile's on-screen size (device pixels), never above the source. A grid
   * tile decodes and paints a quarter of the pixels or less, off the main thread (createImageBitmap).
   */
  private target(): { w: number; h: number } | null {
    const src = this.source
    if (!src) return null
    const dpr = globalThis.devicePixelRatio || 1
    const box = { w: this.o.canvas.clientWidth * dpr, h: this.o.canvas.clientHeight * dpr }
    if (box.w <= 0 || box.h <= 0) return null
    const scale = Math.min(1, box.w / src.w, box.h / src.h)
    return { w: Math.max(1, Math.round(src.w * scale)), h: Math.max(1, Math.round(src.h * scale)) }
  }

  private async draw(blob: Blob): Promise<void> {
    this.decoding = true
    try {
      const t = this.target()
      // Now and then a full decode, in case the camera's resolution changed.
      const resize =
        t && this.source && (t.w < this.source.w || t.h < this.source.h) && this.frames % 250 !== 0
      const bmp = resize
        ? await createImageBitmap(blob, { resizeWidth: t.w, resizeHeight: t.h, resizeQuality: 'low' })
        : await createImageBitmap(blob)
      if (!resize) this.source = { w: bmp.width, h: bmp.height }
      if (!this.stopped && this.ctx) {
        const c = this.o.canvas
        if (c.width !== bmp.width || c.height !== bmp.height) {
          c.width = bmp.width
          c.height = bmp.height
        }
        this.ctx.drawImage(bmp, 0, 0)
        this.drawnThisSecond++
      }
      bmp.close()
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
      connected: this.socket?.readyState === WebSocket.OPEN,
    })
  }
}
