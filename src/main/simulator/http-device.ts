/**
 * A simulated device that speaks HTTP: posts readings to `/api/v1/ingest/sensor-data` (one per request, or
 * batches), polls `/api/v1/devices/:id/heartbeat` for pending buzzer commands and acknowledges each one
 * with `POST /api/v1/buzzer/requests/:id/ack`. One reading request in flight per device, as firmware would.
 */
import type { BuzzerCommand } from '../../shared/schemas/device-protocol'
import { SimDevice, settle, type DeviceSettings, type Reading } from './device'
import { errorMessage, type JsonClient, type JsonResponse } from './http-client'
import type { Limiter } from './limiter'
import type { SimulatorCounters } from './stats'

const INGEST_PATH = '/api/v1/ingest/sensor-data'

/** Buzzer commands in an answer: `data.commands` (heartbeat and GET .../pending alike). */
export function commandsIn(body: unknown): BuzzerCommand[] {
  const data = (body as { data?: { commands?: unknown } } | undefined)?.data
  const list = data?.commands
  if (!Array.isArray(list)) return []
  return list.filter(
    (c): c is BuzzerCommand =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as BuzzerCommand).requestId === 'string' &&
      ((c as BuzzerCommand).action === 'on' || (c as BuzzerCommand).action === 'off'),
  )
}

export class HttpDevice extends SimDevice {
  private sending = false
  private heartbeating = false
  private stopping = false
  private backoffUntil = 0
  private failures = 0
  private busy = 0
  /** The last request got an HTTP answer from the station. */
  reachable = false

  constructor(
    id: string,
    settings: DeviceSettings,
    counters: SimulatorCounters,
    private readonly client: JsonClient,
    private readonly limiter: Limiter,
    onBuzzer?: (deviceId: string, on: boolean) => void,
  ) {
    super(id, settings, counters, onBuzzer)
  }

  protected pump(): void {
    if (this.sending || this.stopping || this.buffer.length === 0 || Date.now() < this.backoffUntil) return
    this.sending = true
    const group = this.take()
    void this.track(this.limiter.run(() => this.send(group))).finally(() => {
      this.sending = false
      this.pump()
    })
  }

  private async send(group: Reading[]): Promise<void> {
    const body =
      this.settings.batch === 1 && group.length === 1
        ? { deviceId: this.id, ...group[0]! }
        : { readings: group.map((r) => ({ deviceId: this.id, ...r })) }
    const started = performance.now()
    this.counters.requests++
    let res: JsonResponse
    try {
      res = await this.client.request('POST', INGEST_PATH, body)
    } catch (err) {
      this.requeue(group)
      this.networkFailure(err)
      return
    }
    this.answered()
    if (res.status >= 200 && res.status < 300) {
      this.acknowledged(group, performance.now() - started)
    } else if (res.status === 503 || res.status === 429) {
      this.requeue(group)
      this.overloaded(res)
    } else {
      this.rejected(group, errorMessage(res))
      if (res.status === 401 || res.status === 403) this.backoffUntil = Date.now() + 5000
    }
  }

  protected heartbeat(): void {
    if (this.heartbeating || this.stopping) return
    this.heartbeating = true
    void this.track(this.limiter.run(() => this.sendHeartbeat())).finally(() => {
      this.heartbeating = false
    })
  }

  private async sendHeartbeat(): Promise<void> {
    const started = performance.now()
    this.counters.heartbeatsSent++
    this.counters.requests++
    let res: JsonResponse
    try {
      res = await this.client.request('POST', `/api/v1/devices/${encodeURIComponent(this.id)}/heartbeat`, {
        capabilities: this.capabilities,
      })
    } catch (err) {
      this.networkFailure(err)
      return
    }
    this.answered()
    if (res.status >= 200 && res.status < 300) {
      this.counters.heartbeatsAcknowledged++
      this.counters.heartbeatLatency.record(performance.now() - started)
      for (const cmd of commandsIn(res.body)) await this.runCommand(cmd)
    } else if (res.status === 503 || res.status === 429) {
      this.overloaded(res)
    } else {
      this.counters.error(`${this.id}: heartbeat ${errorMessage(res)}`)
    }
  }

  /** Executes a command (once) and acknowledges it; a command listed again is acknowledged again. */
  private async runCommand(cmd: BuzzerCommand): Promise<void> {
    this.counters.buzzerCommandsReceived++
    if (this.buzzer.execute(cmd)) this.counters.buzzerCommandsExecuted++
    this.counters.buzzerAcksSent++
    this.counters.requests++
    try {
      const res = await this.client.request(
        'POST',
        `/api/v1/buzzer/requests/${encodeURIComponent(cmd.requestId)}/ack?deviceId=${encodeURIComponent(this.id)}`,
        { ok: true },
      )
      if (res.status >= 200 && res.status < 300) this.counters.buzzerAcksConfirmed++
      else this.counters.error(`${this.id}: buzzer ack ${errorMessage(res)}`)
    } catch (err) {
      this.networkFailure(err)
    }
  }

  private answered(): void {
    this.reachable = true
    this.failures = 0
  }

  private overloaded(res: JsonResponse): void {
    this.counters.overloaded++
    const seconds = res.retryAfter ?? 1
    // Jitter, so every device does not come back on the same millisecond.
    this.backoffUntil = Date.now() + seconds * 1000 * (1 + Math.random() * 0.5)
  }

  private networkFailure(err: unknown): void {
    this.reachable = false
    this.failures++
    this.counters.error(`${this.id}: ${err instanceof Error ? err.message : String(err)}`)
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6))
    this.backoffUntil = Date.now() + delay * (0.5 + Math.random() * 0.5)
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.busy++
    return p.finally(() => this.busy--)
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true
    await settle(() => this.busy === 0, timeoutMs)
    this.buzzer.stop()
  }
}
