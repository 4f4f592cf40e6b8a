/**
 * A simulated push camera: sends real JPEG frames to the station at a steady rate, over HTTP (one POST
 * per frame, keep-alive) or a WebSocket (one binary message per frame). Like a real camera it never
 * queues: a frame due while the previous one is still being sent is skipped and counted.
 */
import http from 'node:http'
import { WebSocket } from 'ws'
import { DEVICE_KEY_HEADER } from '../../../shared/constants'
import { SimFrames, sharedSimFrames } from './frames'

export interface SimPushCameraOptions {
  /** The station's base URL, e.g. http://127.0.0.1:8787 */
  stationUrl: string
  cameraId: number
  fps: number
  transport: 'http' | 'ws'
  /** The site key (x-device-key), or the camera's own token (Authorization: Bearer). */
  deviceKey?: string
  token?: string
  label?: string
  frames?: SimFrames
  /** Called for each frame the station accepted, with the capture time it carried. */
  onSent?: (captureMs: number) => void
}

export interface PushStats {
  sent: number
  skipped: number
  failed: number
  lastError: string | null
}

export class SimPushCamera {
  readonly stats: PushStats = { sent: 0, skipped: 0, failed: 0, lastError: null }
  private timer: NodeJS.Timeout | undefined
  private running = false
  private busy = false
  private seq = 0
  private nextAt = 0
  private ws: WebSocket | undefined
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  private readonly frames: SimFrames

  constructor(private readonly o: SimPushCameraOptions) {
    this.frames = o.frames ?? sharedSimFrames()
  }

  private headers(): Record<string, string> {
    if (this.o.token) return { authorization: `Bearer ${this.o.token}` }
    return this.o.deviceKey ? { [DEVICE_KEY_HEADER]: this.o.deviceKey } : {}
  }

  async start(): Promise<void> {
    this.running = true
    if (this.o.transport === 'ws') await this.connect()
    this.nextAt = performance.now()
    this.loop()
  }

  private connect(): Promise<void> {
    const url = `${this.o.stationUrl.replace(/^http/, 'ws')}/ws/camera/${this.o.cameraId}`
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: this.headers(), perMessageDeflate: false })
      this.ws = ws
      ws.once('open', () => resolve())
      ws.on('error', (err) => {
        this.stats.lastError = err.message
        resolve()
      })
      ws.on('message', (data) => {
        this.stats.failed++
        this.stats.lastError = String(data).slice(0, 200)
      })
      ws.on('close', () => {
        if (this.ws === ws) this.ws = undefined
        // Reconnect like a camera would, after a pause.
        if (this.running) setTimeout(() => this.running && void this.connect(), 1000).unref()
      })
    })
  }

  /** Drift-free schedule: frame n is due at start + n / fps. */
  private loop(): void {
    if (!this.running) return
    const interval = 1000 / this.o.fps
    const now = performance.now()
    if (now - this.nextAt > interval * 5) this.nextAt = now // we were paused: do not burst
    this.sendOne()
    this.nextAt += interval
    this.timer = setTimeout(() => this.loop(), Math.max(0, this.nextAt - performance.now()))
  }

  private sendOne(): void {
    if (this.busy) {
      this.stats.skipped++
      return
    }
    const seq = ++this.seq
    const captured = performance.timeOrigin + performance.now()
    const frame = this.frames.frame(seq, captured, this.o.label ?? `CAM ${this.o.cameraId}`)
    if (this.o.transport === 'ws') {
      const ws = this.ws
      if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > 0) {
        this.stats.skipped++
        return
      }
      this.busy = true
      ws.send(frame, { binary: true }, (err) => {
        this.busy = false
        if (err) this.fail(err.message)
        else this.sent(captured)
      })
      return
    }
    this.busy = true
    const req = http.request(
      `${this.o.stationUrl}/api/v1/stream/fast/${this.o.cameraId}`,
      {
        method: 'POST',
        agent: this.agent,
        headers: { ...this.headers(), 'content-type': 'image/jpeg', 'content-length': String(frame.length) },
      },
      (res) => {
        res.resume()
        res.on('end', () => {
          this.busy = false
          if (res.statusCode === 200) this.sent(captured)
          else this.fail(`HTTP ${res.statusCode}`)
        })
      },
    )
    req.on('error', (err) => {
      this.busy = false
      this.fail(err.message)
    })
    req.end(frame)
  }

  private sent(captured: number): void {
    this.stats.sent++
    this.o.onSent?.(captured)
  }

  private fail(message: string): void {
    this.stats.failed++
    this.stats.lastError = message
  }

  stop(): void {
    this.running = false
    clearTimeout(this.timer)
    this.ws?.close()
    this.ws = undefined
    this.agent.destroy()
  }
}
