/**
 * What every simulated device has, whatever its transport: sensors producing readings at a steady rate,
 * a bounded local buffer of readings not yet acknowledged (as firmware would keep in RAM), and a buzzer
 * (or none: a sensor-only device, which says so in its heartbeat's `capabilities`).
 */
import type { DeviceCapability } from '../../shared/constants'
import type { ReadingInput } from '../../shared/schemas/device-protocol'
import { SimulatedBuzzer } from './buzzer'
import { sensorsFor, type SimulatedSensor } from './sensor-model'
import type { SimulatorCounters } from './stats'

export interface DeviceSettings {
  /** Readings per second this device produces (round-robin over its sensors). */
  rate: number
  sensors: number
  /** Readings per request / message (1 = one reading each). */
  batch: number
  heartbeatMs: number
  /** Bound of the local buffer; past it the oldest readings are dropped (and counted). */
  bufferMax: number
  requestTimeoutMs: number
  /** Whether it has a buzzer: its heartbeats report `["buzzer"]`, else `[]`. */
  buzzer: boolean
}

export interface Reading extends ReadingInput {
  unit: string
  ts: number
}

export abstract class SimDevice {
  readonly buzzer: SimulatedBuzzer
  protected readonly sensors: SimulatedSensor[]
  /** Readings waiting to be sent (resends go back to the front). */
  protected buffer: Reading[] = []
  private credit: number
  private nextSensor = 0
  protected nextHeartbeatAt: number
  /** Readings handed to the network and not yet settled. */
  protected inFlightReadings = 0

  constructor(
    readonly id: string,
    protected readonly settings: DeviceSettings,
    protected readonly counters: SimulatorCounters,
    onBuzzer?: (deviceId: string, on: boolean) => void,
  ) {
    this.sensors = sensorsFor(settings.sensors)
    // Random phases, so a thousand devices do not all report on the same millisecond.
    this.credit = Math.random()
    this.nextHeartbeatAt = Date.now() + Math.random() * settings.heartbeatMs
    this.buzzer = new SimulatedBuzzer((on) => onBuzzer?.(id, on))
  }

  /** What its heartbeats say it can do. */
  get capabilities(): DeviceCapability[] {
    return this.settings.buzzer ? ['buzzer'] : []
  }

  /** Readings generated but not yet acknowledged, rejected or dropped. */
  get pending(): number {
    return this.buffer.length + this.inFlightReadings
  }

  /** Produces the readings due after `dtMs`, then lets the transport send what it can. */
  tick(dtMs: number, now: number): void {
    this.credit += (this.settings.rate * dtMs) / 1000
    while (this.credit >= 1) {
      this.credit -= 1
      this.generate(now)
    }
    if (now >= this.nextHeartbeatAt) {
      this.nextHeartbeatAt = now + this.settings.heartbeatMs
      this.heartbeat()
    }
    this.pump()
  }

  private generate(now: number): void {
    const sensor = this.sensors[this.nextSensor++ % this.sensors.length]!
    this.buffer.push({ sensor: sensor.name, value: sensor.next(), unit: sensor.unit, ts: now })
    this.counters.readingsGenerated++
    if (this.buffer.length > this.settings.bufferMax) {
      this.buffer.shift()
      this.counters.readingsDropped++
    }
  }

  /** Takes the next group of readings to send. */
  protected take(): Reading[] {
    const group = this.buffer.splice(0, this.settings.batch)
    this.inFlightReadings += group.length
    this.counters.readingsSent += group.length
    return group
  }

  protected acknowledged(group: Reading[], latencyMs: number): void {
    this.inFlightReadings -= group.length
    this.counters.readingsAcknowledged += group.length
    this.counters.readingLatency.record(latencyMs)
  }

  protected rejected(group: Reading[], message: string): void {
    this.inFlightReadings -= group.length
    this.counters.readingsRejected += group.length
    this.counters.error(`${this.id}: ${message}`)
  }

  /** Puts a group back at the front of the buffer: it will be sent again (the station may then hold it twice). */
  protected requeue(group: Reading[]): void {
    this.inFlightReadings -= group.length
    this.counters.readingsResent += group.length
    this.buffer.unshift(...group)
    const over = this.buffer.length - this.settings.bufferMax
    if (over > 0) {
      // Keep the oldest (they were first in line); drop the newest that no longer fit.
      this.buffer.splice(this.buffer.length - over, over)
      this.counters.readingsDropped += over
    }
  }

  protected abstract pump(): void
  protected abstract heartbeat(): void
  /** Stops producing; resolves once nothing is in flight any more (bounded by `timeoutMs`). */
  abstract stop(timeoutMs: number): Promise<void>
}

/** Resolves when `done()` holds, polling every 20 ms, or after `timeoutMs`. */
export function settle(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  return new Promise((resolve) => {
    const check = () => {
      if (done() || Date.now() >= until) resolve()
      else setTimeout(check, 20)
    }
    check()
  })
}
