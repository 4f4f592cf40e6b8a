/**
 * A simulated device that holds a WebSocket to `/ws/device?deviceId=ID`: sends `reading`/`readings` and
 * `heartbeat` frames with ids, counts a reading as stored only when the station's `ack` for its id comes
 * back (after commit), executes pushed `buzzer` commands and answers them with `buzzer-ack`. On a lost
 * connection, unacknowledged readings go back to the buffer and are sent again after reconnecting.
 */
import WebSocket from 'ws'
import { DEVICE_KEY_HEADER } from '../../shared/constants'
import {
  TRANSIENT_DEVICE_ERRORS,
  type BuzzerCommand,
  type DeviceErrorCode,
} from '../../shared/schemas/device-protocol'
import { SimDevice, settle, type DeviceSettings, type Reading } from './device'
import type { Limiter } from './limiter'
import type { SimulatorCounters } from './stats'

/** Messages a device keeps unacknowledged on its socket before it waits. */
const MAX_IN_FLIGHT = 32

interface Sent {
  group: Reading[]
  at: number
}

/**
 * An error frame (its `code`) for readings the station could not take right now (write queue full,
 * shutting down), as opposed to readings it refuses (invalid): the first are sent again, the second never.
 */
export function isTransient(code: unknown): boolean {
  return TRANSIENT_DEVICE_ERRORS.includes(code as DeviceErrorCode)
}

/** How long to hold back after a transient error frame: its `retryAfterSeconds`, else 1 s. */
export function retryAfterMs(retryAfterSeconds: unknown): number {
  return typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0
    ? retryAfterSeconds * 1000
    : 1000
}

interface ErrorFrame {
  code?: unknown
  retryAfterSeconds?: unknown
}

export interface WsDeviceOptions {
  baseUrl: string
  key: string | undefined
  perMessageDeflate: boolean
}

export class WsDevice extends SimDevice {
  private ws: WebSocket | undefined
  private open = false
  private stopping = false
  private nextId = 1
  private readonly sent = new Map<number, Sent>()
  private readonly heartbeats = new Map<number, number>()
  private readonly buzzerAcks = new Set<number>()
  private failures = 0
  /** HTTP status of the last refused upgrade (401/403: wrong credentials, retry slowly). */
  private refusedStatus: number | undefined
  /** After a "retry" error frame: no readings are sent before this time. */
  private pausedUntil = 0
  private reconnectTimer: NodeJS.Timeout | undefined

  constructor(
    id: string,
    settings: DeviceSettings,
    counters: SimulatorCounters,
    private readonly opts: WsDeviceOptions,
    private readonly handshakes: Limiter,
    onBuzzer?: (deviceId: string, on: boolean) => void,
  ) {
    super(id, settings, counters, onBuzzer)
  }

  get connected(): boolean {
    return this.open
  }

  /** Opens the socket; resolves once it is open or has failed (a failure schedules a reconnect). */
  connect(): Promise<void> {
    if (this.stopping) return Promise.resolve()
    return this.handshakes.run(
      () =>
        new Promise<void>((resolve) => {
          // Stopped while waiting for a handshake slot: do not connect any more.
          if (this.stopping) return resolve()
          const url = new URL(`/ws/device?deviceId=${encodeURIComponent(this.id)}`, this.opts.baseUrl)
          url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
          const ws = new WebSocket(url, {
            headers: this.opts.key ? { [DEVICE_KEY_HEADER]: this.opts.key } : {},
            perMessageDeflate: this.opts.perMessageDeflate,
            handshakeTimeout: this.settings.requestTimeoutMs,
          })
          this.ws = ws
          let settled = false
          const done = () => {
            if (!settled) {
              settled = true
              resolve()
            }
          }
          ws.on('open', () => {
            this.open = true
            this.failures = 0
            this.counters.connects++
            done()
            this.pump()
          })
          let refused = false
          ws.on('unexpected-response', (_req, res) => {
            refused = true
            this.refusedStatus = res.statusCode
            this.counters.error(`${this.id}: upgrade refused: HTTP ${res.statusCode ?? '?'}`)
            res.resume()
            // Aborts the handshake: 'close' follows, which schedules the reconnect.
            ws.terminate()
          })
          ws.on('message', (data, isBinary) => {
            if (!isBinary) this.onMessage(data.toString())
          })
          ws.on('error', (err) => {
            if (!refused) this.counters.error(`${this.id}: ${err.message}`)
          })
          ws.on('close', () => {
            done()
            this.onClose(ws)
          })
        }),
    )
  }

  private onClose(ws: WebSocket): void {
    if (this.ws !== ws) return
    if (this.open && !this.stopping) this.counters.disconnects++
    this.open = false
    this.ws = undefined
    // Whatever was not acknowledged goes back in line, oldest first.
    const unacked = [...this.sent.values()].sort((a, b) => a.at - b.at)
    this.sent.clear()
    this.heartbeats.clear()
    this.buzzerAcks.clear()
    for (let i = unacked.length - 1; i >= 0; i--) this.requeue(unacked[i]!.group)
    if (this.stopping) return
    this.failures++
    let delay = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7)) * (0.5 + Math.random() * 0.5)
    if (this.refusedStatus === 401 || this.refusedStatus === 403) delay = Math.max(delay, 5000)
    this.refusedStatus = undefined
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      void this.connect()
    }, delay)
  }

  private onMessage(text: string): void {
    let msg: { op?: unknown; id?: unknown; message?: unknown } & ErrorFrame
    try {
      msg = JSON.parse(text) as typeof msg
    } catch {
      this.counters.error(`${this.id}: station sent a frame that is not JSON`)
      return
    }
    const id = typeof msg.id === 'number' ? msg.id : undefined
    if (msg.op === 'ack' && id !== undefined) {
      const s = this.sent.get(id)
      if (s) {
        this.sent.delete(id)
        this.acknowledged(s.group, performance.now() - s.at)
        this.pump()
        return
      }
      const hb = this.heartbeats.get(id)
      if (hb !== undefined) {
        this.heartbeats.delete(id)
        this.counters.heartbeatsAcknowledged++
        this.counters.heartbeatLatency.record(performance.now() - hb)
        return
      }
      if (this.buzzerAcks.delete(id)) this.counters.buzzerAcksConfirmed++
    } else if (msg.op === 'error') {
      this.onError(id, typeof msg.message === 'string' ? msg.message : 'error', msg)
    } else if (msg.op === 'buzzer') {
      this.onBuzzerCommand(msg as unknown as BuzzerCommand)
    }
  }

  private onError(id: number | undefined, message: string, msg: ErrorFrame): void {
    const s = id === undefined ? undefined : this.sent.get(id)
    if (s && id !== undefined) {
      this.sent.delete(id)
      if (isTransient(msg.code)) {
        // The station was busy or stopping: nothing was stored; send it again after the delay it asked for.
        this.counters.overloaded++
        this.requeue(s.group)
        this.pausedUntil = Date.now() + retryAfterMs(msg.retryAfterSeconds) * (1 + Math.random() * 0.5)
      } else {
        this.rejected(s.group, message)
      }
      return
    }
    if (id !== undefined) {
      this.heartbeats.delete(id)
      this.buzzerAcks.delete(id)
    }
    this.counters.error(`${this.id}: ${message}`)
  }

  private onBuzzerCommand(cmd: BuzzerCommand): void {
    if (typeof cmd.requestId !== 'string') return
    this.counters.buzzerCommandsReceived++
    if (this.buzzer.execute(cmd)) this.counters.buzzerCommandsExecuted++
    const id = this.nextId++
    if (this.send({ op: 'buzzer-ack', id, requestId: cmd.requestId, ok: true })) {
      this.counters.buzzerAcksSent++
      this.buzzerAcks.add(id)
    }
  }

  protected pump(): void {
    if (!this.open || this.stopping || Date.now() < this.pausedUntil) return
    while (this.buffer.length > 0 && this.sent.size < MAX_IN_FLIGHT) {
      const group = this.take()
      const id = this.nextId++
      const frame =
        this.settings.batch === 1 && group.length === 1
          ? { op: 'reading', id, ...group[0]! }
          : { op: 'readings', id, readings: group }
      this.sent.set(id, { group, at: performance.now() })
      if (!this.send(frame)) return
    }
  }

  protected heartbeat(): void {
    if (!this.open || this.stopping) return
    const id = this.nextId++
    this.heartbeats.set(id, performance.now())
    if (this.send({ op: 'heartbeat', id, capabilities: this.capabilities })) this.counters.heartbeatsSent++
  }

  private send(frame: object): boolean {
    const ws = this.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) return false
    this.counters.requests++
    ws.send(JSON.stringify(frame))
    return true
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    // Let acknowledgements for what is in flight arrive before closing.
    await settle(() => !this.open || this.sent.size === 0, timeoutMs)
    const ws = this.ws
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve())
        ws.close(1000, 'simulator stopping')
        setTimeout(() => {
          ws.terminate()
          resolve()
        }, 2000).unref()
      })
    }
    this.buzzer.stop()
  }
}
