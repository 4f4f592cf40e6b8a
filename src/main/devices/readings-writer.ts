/**
 * Writes the readings of one flush of the readings queue, in one transaction, on the writer thread.
 *
 * Per flush: registers unknown devices (upsert, so a device's registration commits with its first reading)
 * and refreshes last_seen_at of known ones (at most every few seconds), resolves sensor ids (cached in the writer thread; created
 * on first use), inserts the readings with prepared multi-row INSERTs, and moves sensors.last_value/last_ts/unit
 * to the newest reading of each sensor. The hot loop does no SELECT once a sensor is cached and allocates
 * nothing per row. It answers what the main thread needs for its caches and live updates: the devices it
 * registered and the latest value of each sensor that moved.
 *
 * Readings cross the thread boundary as a `ReadingsBatch` (see ./readings-batch.ts): typed arrays moved, not
 * copied, and small tables of the distinct device ids, sensor names and units.
 */
import type { Db } from '../database/open'
import { READINGS_CHUNK, type DevicesRepository } from './devices-repository'
import type { ReadingsBatch } from './readings-batch'
import { PERSIST_SEEN_EVERY_MS } from './device-presence'

// Where the routes and sockets have always found it.
export type { IngestReading } from './readings-batch'

/** The newest committed value of a sensor, after a flush that moved it. */
export interface LatestValue {
  deviceId: string
  sensor: string
  value: number
  unit: string
  ts: number
}

/** What one committed flush changed, for the main thread's caches, change notifications and live updates. */
export interface FlushSummary {
  readings: number
  /** Devices this flush registered. */
  newDevices: string[]
  /** Sensors whose latest value moved in this flush (one entry each: the newest). */
  latest: LatestValue[]
}

/** A sensor as the writer knows it: committed latest value, plus this flush's newest reading. */
interface SensorEntry {
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

interface DeviceEntry {
  readonly id: string
  /** When this writer last wrote the device's last_seen_at (0: not yet). */
  seenWrittenAt: number
  /** Every sensor of the device (loaded whole on first use, then kept up to date). */
  readonly sensors: Map<string, SensorEntry>
  gen: number
  isNew: boolean
}

export class ReadingsWriter {
  private readonly devices = new Map<string, DeviceEntry>()
  private sensorCount = 0
  private gen = 0
  private readonly touchedSensors: SensorEntry[] = []
  private readonly touchedDevices: DeviceEntry[] = []
  /** Rows waiting for the next multi-row INSERT: [sensorId, ts, value] × READINGS_CHUNK. */
  private readonly chunk = new Array<number>(READINGS_CHUNK * 3)
  private readonly tx: (batch: ReadingsBatch) => void

  constructor(
    db: Db,
    private readonly repo: DevicesRepository,
    private readonly maxSensors = 100_000,
  ) {
    // IMMEDIATE: the flush reads (sensors of a device) before it writes; taking the write lock first means
    // another connection's commit can never turn it into SQLITE_BUSY half way (busy_timeout applies).
    this.tx = db.transaction((batch: ReadingsBatch) => this.write(batch)).immediate
  }

  /** Writes one flush in one transaction. Throws only when nothing was committed. */
  commit(batch: ReadingsBatch): FlushSummary {
    this.gen++
    this.touchedSensors.length = 0
    this.touchedDevices.length = 0
    // Bounded cache: past the bound start over (entries reload from the sensors table on use).
    if (this.sensorCount > this.maxSensors || this.devices.size > this.maxSensors) this.clear()
    try {
      this.tx(batch)
    } catch (err) {
      // Entries created or changed inside the rolled-back transaction are not true any more.
      this.clear()
      throw err
    }
    const newDevices: string[] = []
    for (const d of this.touchedDevices) if (d.isNew) newDevices.push(d.id)
    const latest: LatestValue[] = []
    for (const s of this.touchedSensors) {
      if (s.newTs < s.lastTs) continue
      s.lastTs = s.newTs
      s.lastValue = s.newValue
      s.unit = s.newUnit
      latest.push({ deviceId: s.deviceId, sensor: s.name, value: s.lastValue, unit: s.unit, ts: s.lastTs })
    }
    return { readings: batch.values.length, newDevices, latest }
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

  private write(batch: ReadingsBatch): void {
    const gen = this.gen
    const now = Date.now()
    const insertChunk = this.repo.insertReadingsChunk
    const chunk = this.chunk
    let filled = 0
    const touched = this.touchedSensors
    const { devices, runEnds, runs, names, units, name, unit, values, ts } = batch
    // The sensor entry of each name index for the current device run (valid when its stamp is the run's).
    const slots = new Array<SensorEntry | undefined>(names.length)
    const stamps = new Int32Array(names.length).fill(-1)
    let i = 0
    for (let run = 0; run < runs; run++) {
      const device = this.device(devices[run]!, gen, now)
      const end = runEnds[run]!
      for (; i < end; i++) {
        const k = name[i]!
        const u = unit[i]!
        const t = ts[i]!
        const value = values[i]!
        let s = stamps[k] === run ? slots[k] : undefined
        if (s === undefined) {
          s = this.sensor(device, names[k]!, u === 0 ? null : units[u]!)
          slots[k] = s
          stamps[k] = run
        }
        chunk[filled++] = s.id
        chunk[filled++] = t
        chunk[filled++] = value
        if (filled === chunk.length) {
          insertChunk.run(chunk)
          filled = 0
        }
        if (s.gen !== gen) {
          s.gen = gen
          s.newTs = t
          s.newValue = value
          s.newUnit = u === 0 ? s.unit : units[u]!
          touched.push(s)
        } else if (t >= s.newTs) {
          s.newTs = t
          s.newValue = value
          if (u !== 0) s.newUnit = units[u]!
        }
      }
    }
    const insert = this.repo.insertReading
    for (let j = 0; j < filled; j += 3) insert.run(chunk[j]!, chunk[j + 1]!, chunk[j + 2]!)
    for (let j = 0; j < touched.length; j++) {
      const t = touched[j]!
      if (t.newTs >= t.lastTs) this.repo.setSensorLatest(t.id, t.newValue, t.newTs, t.newUnit)
    }
  }

  private device(id: string, gen: number, now: number): DeviceEntry {
    let d = this.devices.get(id)
    if (!d) {
      d = { id, sensors: new Map(), gen: 0, isNew: false, seenWrittenAt: 0 }
      for (const row of this.repo.sensors(id)) d.sensors.set(row.name, this.entry(id, row))
      this.sensorCount += d.sensors.size
      this.devices.set(id, d)
    }
    if (d.gen !== gen) {
      d.gen = gen
      d.isNew = false
      // Registers an unknown device (its registration commits with its first reading), or refreshes
      // last_seen_at of a known one, at most every PERSIST_SEEN_EVERY_MS: the API shows the in-memory
      // presence, which is exact, and presence persists it on the same schedule.
      if (now - d.seenWrittenAt >= PERSIST_SEEN_EVERY_MS) {
        d.isNew = this.repo.upsertSeen(id, now)
        d.seenWrittenAt = now
      }
      this.touchedDevices.push(d)
    }
    return d
  }

  private sensor(d: DeviceEntry, name: string, unit: string | null): SensorEntry {
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
