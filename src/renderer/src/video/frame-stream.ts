/**
 * A tile's video: a canvas of its own inside `host`, fed by a FramePump. Where the browser can
 * (Worker + OffscreenCanvas), the canvas is handed to the shared video worker and the page's main thread
 * does nothing per frame: receiving, decoding and drawing all happen there. Elsewhere, or if the worker
 * cannot start, the pump runs on the page as before. Same figures and status messages either way.
 */
import type { StreamStatusMessage } from '../../../shared/contract'
import { FramePump, type FrameStats, type Size } from './frame-pump'
import type { FromWorker, ToWorker } from './frame-worker-protocol'

export type { FrameStats } from './frame-pump'

export interface FrameStreamOptions {
  cameraId: number
  /** Lower rate for grid tiles; undefined for full rate. */
  fps: number | undefined
  /** Where the stream puts its canvas (removed again on stop). */
  host: HTMLElement
  wsBaseUrl: string
  /** A stream token; `refused`: the one the station just refused (dropped before a fresh one is fetched). */
  token: (refused?: string) => Promise<string>
  onStats?: (s: FrameStats) => void
  onStatus?: (s: StreamStatusMessage) => void
}

/** The shared video worker and the streams it serves (by id). */
const video = {
  worker: null as Worker | null,
  failed: false,
  streams: new Map<number, FrameStream>(),
  nextId: 1,
}

function canUseWorker(): boolean {
  return (
    !video.failed &&
    typeof Worker !== 'undefined' &&
    typeof HTMLCanvasElement !== 'undefined' &&
    'transferControlToOffscreen' in HTMLCanvasElement.prototype
  )
}

function videoWorker(): Worker {
  if (video.worker) return video.worker
  const w = new Worker(new URL('./frame-worker.ts', import.meta.url), { type: 'module', name: 'video' })
  w.onmessage = (e: MessageEvent<FromWorker>) => video.streams.get(e.data.id)?.fromWorker(e.data)
  // A worker that cannot start (blocked, broken): every stream goes back to the page.
  w.onerror = () => {
    video.failed = true
    video.worker = null
    w.terminate()
    for (const s of [...video.streams.values()]) s.restartOnPage()
  }
  video.worker = w
  return w
}

const send = (m: ToWorker, transfer: Transferable[] = []) => videoWorker().postMessage(m, transfer)

export class FrameStream {
  readonly id = video.nextId++
  private canvas: HTMLCanvasElement | null = null
  private pump: FramePump | null = null
  private resize: ResizeObserver | null = null
  private box: Size | null = null
  private fps: number | undefined
  private running = false

  constructor(private readonly o: FrameStreamOptions) {
    this.fps = o.fps
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.mount()
    if (canUseWorker()) this.startInWorker()
    else this.startOnPage()
  }

  stop(): void {
    if (!this.running) return
    this.running = false
    this.resize?.disconnect()
    this.resize = null
    if (this.pump) {
      this.pump.stop()
      this.pump = null
    } else if (video.streams.delete(this.id) && video.worker) {
      send({ op: 'close', id: this.id })
    }
    this.canvas?.remove()
    this.canvas = null
  }

  /** Changes the rate without reconnecting (e.g. a tile going fullscreen). */
  setFps(fps: number | undefined): void {
    this.fps = fps
    if (this.pump) this.pump.setFps(fps)
    else if (video.streams.has(this.id)) send({ op: 'fps', id: this.id, fps })
  }

  /** @internal Messages from the worker for this stream. */
  fromWorker(m: FromWorker): void {
    if (!this.running) return
    if (m.op === 'stats') this.o.onStats?.(m.stats)
    else if (m.op === 'status') this.o.onStatus?.(m.status)
    else if (m.op === 'token')
      this.o.token(m.refused).then(
        (token) => send({ op: 'token', req: m.req, token }),
        (err: unknown) => send({ op: 'token', req: m.req, error: String(err) }),
      )
  }

  /** @internal The worker failed: a fresh canvas, drawn on the page. */
  restartOnPage(): void {
    video.streams.delete(this.id)
    if (!this.running) return
    this.resize?.disconnect()
    this.canvas?.remove()
    this.mount()
    this.startOnPage()
  }

  private mount(): void {
    const c = document.createElement('canvas')
    c.className = 'tile-video'
    c.dataset.testid = 'tile-canvas'
    c.width = 640
    c.height = 360
    this.o.host.appendChild(c)
    this.canvas = c
    this.box = null
    // The size to decode to follows the tile (layouts, fullscreen, window size), read without forcing layout.
    this.resize = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1]?.contentRect
      const dpr = globalThis.devicePixelRatio || 1
      this.box = r ? { w: Math.round(r.width * dpr), h: Math.round(r.height * dpr) } : null
      if (!this.pump && video.streams.has(this.id)) send({ op: 'size', id: this.id, box: this.box })
    })
    this.resize.observe(c)
  }

  private startOnPage(): void {
    this.pump = new FramePump({
      cameraId: this.o.cameraId,
      fps: this.fps,
      canvas: this.canvas!,
      wsBaseUrl: this.o.wsBaseUrl,
      token: this.o.token,
      box: () => this.box,
      ...(this.o.onStats ? { onStats: this.o.onStats } : {}),
      ...(this.o.onStatus ? { onStatus: this.o.onStatus } : {}),
    })
    this.pump.start()
  }

  private startInWorker(): void {
    const offscreen = this.canvas!.transferControlToOffscreen()
    video.streams.set(this.id, this)
    send(
      {
        op: 'open',
        id: this.id,
        cameraId: this.o.cameraId,
        fps: this.fps,
        wsBaseUrl: this.o.wsBaseUrl,
        canvas: offscreen,
        box: this.box,
      },
      [offscreen],
    )
  }
}
