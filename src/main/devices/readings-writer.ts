/**
 * The commit function of the readings write queue: one transaction per flush.
 *
 * Per flush: registers unknown devices (upsert, so a device's registration commits with its first reading)
 * and touches last_seen_at of every device in it, resolves sensor ids (cached; created on first use),
 * inserts every reading with one prepared INSERT, and moves sensors.last_value/last_ts/unit to the newest
 * reading of each sensor. The hot loop does no SELECT once a sensor is cached and allocates nothing per row.
 */
import type { Db } from '../database/open'
import type { DevicesRepository } from './devices-repository'

/** One reading on its way to the database; `ts` is filled with the receive time when the device sent none. */
export interface IngestReading {
  deviceId: string
  sensor: string
  value: number
  unit?: string
  ts: number
}

/** A sensor as the writer knows it: committed latest value, plus this flush's newest reading. */
export interface SensorEntry {
  readonly id: number
  readonly deviceId: string
  readonly name: string
  unit: string
  /** Committed newest reading (lastTs = -1 when the sensor has none yet). */
  lastTs: number
  lastValue: number
  /** Flush generation that last touched the entry, and that flush's newest reading. */
  gen: number
  newTs: number
  newValue: number
  newUnit: string
}

export interface DeviceEntry {
  readonly id: string
  /** Every sensor of the device (loaded whole on first use, then kept up to date). */
  readonly sensors: Map<string, SensorEntry>
  gen: number
  isNew: boolean
}

/** What one committed flush changed, for caches, change notifications and live updates. */
export interface FlushResult {
  readings: number
  devices: readonly DeviceEntry[]
  /** Sensors whose latest value moved in this flush. */
  latest: readonly SensorEntry[]
  newDevices: number
}

export class ReadingsWriter {
  private readonly devices = new Map<string, DeviceEntry>()
  private sensorCount = 0
  private gen = 0
  private readonly touchedSensors: SensorEntry[] = []
  private readonly touchedDevices: DeviceEntry[] = []
  private readonly latest: SensorEntry[] = []
  private readonly tx: (items: readonly IngestReading[]) => void

  constructor(
    db: Db,
    private readonly repo: DevicesRepository,
    private readonly afterCommit: (result: FlushResult) => void,
    private readonly maxSensors = 100_000,
  ) {
    this.tx = db.transaction((items: readonly IngestReading[]) => this.write(items))
  }

  /** The GroupCommitQueue commit function. Throws only when nothing was committed. */
  readonly commit = (items: IngestReading[]): void => {
    this.gen++
    this.touchedSensors.length = 0
    this.touchedDevices.length = 0
    this.latest.length = 0
    // Bounded cache: past the bound start over (entries reload from the sensors table on use).
    if (this.sensorCount > this.maxSensors || this.devices.size > this.maxSensors) this.clear()
    try {
      this.tx(items)
    } catch (err) {
      // Entries created or changed inside the rolled-back transaction are not true any more.
      this.clear()
      throw err
    }
    let newDevices = 0
    for (const d of this.touchedDevices) if (d.isNew) newDevices++
    for (const s of this.touchedSensors) {
      if (s.newTs < s.lastTs) continue
      s.lastTs = s.newTs
      s.lastValue = s.newValue
      s.unit = s.newUnit
      this.latest.push(s)
    }
    // Committed: whatever follows must not throw, or the queue would think the flush failed.
    try {
      this.afterCommit({
        readings: items.length,
        devices: this.touchedDevices,
        latest: this.latest,
        newDevices,
      })
    } catch {
      // afterCommit reports its own failures; the readings are committed either way.
    }
  }

  /** Forgets a device (deleted): its sensor ids are no longer valid. */
  forget(deviceId: string): void {
    const d = this.devices.get(deviceId)
    if (!d) return
    this.sensorCount -= d.sensors.size
    this.devices.delete(deviceId)
  }

  clear(): void {
    this.devices.clear()
    this.sensorCount = 0
  }

  get cachedSensors(): number {
    return this.sensorCount
  }

  private write(items: readonly IngestReading[]): void {
    const gen = this.gen
    const now = Date.now()
    const insert = this.repo.insertReading
    const touched = this.touchedSensors
    let deviceId: string | undefined
    let sensorName: string | undefined
    let device: DeviceEntry | undefined
    let s: SensorEntry | undefined
    for (let i = 0; i < items.length; i++) {
      const r = items[i]!
      if (r.deviceId !== deviceId || device === undefined) {
        device = this.device(r.deviceId, gen, now)
        deviceId = r.deviceId
        sensorName = undefined
      }
      if (r.sensor !== sensorName || s === undefined) {
        s = this.sensor(device, r.sensor, r.unit)
        sensorName = r.sensor
      }
      insert.run(s.id, r.ts, r.value)
      if (s.gen !== gen) {
        s.gen = gen
        s.newTs = r.ts
        s.newValue = r.value
        s.newUnit = r.unit ?? s.unit
        touched.push(s)
      } else if (r.ts >= s.newTs) {
        s.newTs = r.ts
        s.newValue = r.value
        if (r.unit !== undefined) s.newUnit = r.unit
      }
    }
    for (let i = 0; i < touched.length; i++) {
      const t = touched[i]!
      if (t.newTs >= t.lastTs) this.repo.setSensorLatest(t.id, t.newValue, t.newTs, t.newUnit)
    }
  }

  private device(id: string, gen: number, now: number): DeviceEntry {
    let d = this.devices.get(id)
    if (!d) {
      d = { id, sensors: new Map(), gen: 0, isNew: false }
      for (const row of this.repo.sensors(id)) d.sensors.set(row.name, this.entry(id, row))
      this.sensorCount += d.sensors.size
      this.devices.set(id, d)
    }
    if (d.gen !== gen) {
      // Registers an unknown device, or touches last_seen_at of a known one: once per device per flush.
      d.isNew = this.repo.upsertSeen(id, now)
      d.gen = gen
      this.touchedDevices.push(d)
    }
    return d
  }

  private sensor(d: DeviceEntry, name: string, unit: string | undefined): SensorEntry {
    let s = d.sensors.get(name)
    if (!s) {
      s = this.entry(d.id, this.repo.ensureSensor(d.id, name, unit ?? ''))
      d.sensors.set(name, s)
      this.sensorCount++
    }
    return s
  }

  private entry(
    deviceId: string,
    row: { id: number; name: string; unit: string; last_value: number | null; last_ts: number | null },
  ): SensorEntry {
    return {
      id: row.id,
      deviceId,
      name: row.name,
      unit: row.unit,
      lastTs: row.last_ts ?? -1,
      lastValue: row.last_value ?? 0,
      gen: 0,
      newTs: 0,
      newValue: 0,
      newUnit: row.unit,
    }
  }
}
