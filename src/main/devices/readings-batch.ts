/**
 * How the readings of one flush cross from the main thread to the writer thread. Cloning one object per
 * reading (or three strings per reading) costs the main thread more than parsing them did; a batch instead
 * carries typed arrays, moved without a copy, and small tables of what repeats: device ids by run of
 * consecutive readings, and the distinct sensor names and units, indexed per reading.
 */

/** One reading on its way to the database; `ts` is filled with the receive time when the device sent none. */
export interface IngestReading {
  deviceId: string
  sensor: string
  value: number
  unit?: string
  ts: number
}

export interface ReadingsBatch {
  /** Device of each run of consecutive readings of one device, and where each run ends (exclusive). */
  devices: string[]
  runEnds: Uint32Array
  runs: number
  /** Distinct sensor names; per reading, the index of its name. */
  names: string[]
  name: Uint32Array
  /** Distinct units, from index 1; per reading, the index of its unit (0: it named none). */
  units: string[]
  unit: Uint32Array
  values: Float64Array
  ts: Float64Array
}

/** Encodes readings for the writer thread; `transfer` lists the buffers to move rather than copy. */
export function encodeReadings(items: readonly IngestReading[]): {
  batch: ReadingsBatch
  transfer: ArrayBuffer[]
} {
  const n = items.length
  const devices: string[] = []
  const runEnds = new Uint32Array(n)
  const names: string[] = []
  const nameIndex = new Map<string, number>()
  const name = new Uint32Array(n)
  const units: string[] = ['']
  const unitIndex = new Map<string, number>()
  const unit = new Uint32Array(n)
  const values = new Float64Array(n)
  const ts = new Float64Array(n)
  let device: string | undefined
  let runs = 0
  for (let i = 0; i < n; i++) {
    const r = items[i]!
    if (r.deviceId !== device || runs === 0) {
      if (runs > 0) runEnds[runs - 1] = i
      devices.push(r.deviceId)
      device = r.deviceId
      runs++
    }
    let k = nameIndex.get(r.sensor)
    if (k === undefined) {
      k = names.length
      names.push(r.sensor)
      nameIndex.set(r.sensor, k)
    }
    name[i] = k
    if (r.unit !== undefined) {
      let u = unitIndex.get(r.unit)
      if (u === undefined) {
        u = units.length
        units.push(r.unit)
        unitIndex.set(r.unit, u)
      }
      unit[i] = u
    }
    values[i] = r.value
    ts[i] = r.ts
  }
  if (runs > 0) runEnds[runs - 1] = n
  return {
    batch: { devices, runEnds, runs, names, name, units, unit, values, ts },
    transfer: [runEnds.buffer, name.buffer, unit.buffer, values.buffer, ts.buffer],
  }
}
