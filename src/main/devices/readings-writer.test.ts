import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWriter, type Db } from '../database/open'
import { DevicesRepository } from './devices-repository'
import { ReadingsWriter } from './readings-writer'
import { encodeReadings, type IngestReading } from './readings-batch'

describe('ReadingsWriter', () => {
  let dir: string
  let db: Db
  let writer: ReturnType<typeof make>
  let flushes: { readings: number; newDevices: string[]; latest: string[] }[]

  /** A writer whose commits go through the same encoding as the station's (columns across threads). */
  const make = (maxSensors?: number) => {
    const w = new ReadingsWriter(db, new DevicesRepository(db), maxSensors)
    return {
      commit(items: IngestReading[]) {
        const r = w.commit(encodeReadings(items).batch)
        flushes.push({
          readings: r.readings,
          newDevices: r.newDevices,
          latest: r.latest.map((s) => `${s.deviceId}/${s.sensor}=${s.value}${s.unit}@${s.ts}`),
        })
      },
      forget: (id: string) => w.forget(id),
      get cachedSensors() {
        return w.cachedSensors
      },
    }
  }
  const r = (deviceId: string, sensor: string, value: number, ts: number, unit?: string): IngestReading =>
    unit === undefined ? { deviceId, sensor, value, ts } : { deviceId, sensor, value, ts, unit }
  const rows = () =>
    db
      .prepare(
        `SELECT s.device_id AS d, s.name AS s, r.ts, r.value FROM readings r JOIN sensors s ON s.id = r.sensor_id
          ORDER BY r.id`,
      )
      .all()

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'writer-test-'))
    db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    flushes = []
    writer = make()
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('registers devices and sensors, inserts every reading and reports the newest per sensor', () => {
    writer.commit([r('a', 't', 1, 10, 'C'), r('a', 't', 3, 30), r('a', 't', 2, 20), r('b', 'h', 5, 10, '%')])
    expect(rows()).toHaveLength(4)
    expect(flushes).toEqual([{ readings: 4, newDevices: ['a', 'b'], latest: ['a/t=3C@30', 'b/h=5%@10'] }])
    expect(db.prepare('SELECT id, name, is_online FROM devices ORDER BY id').all()).toEqual([
      { id: 'a', name: 'a', is_online: 1 },
      { id: 'b', name: 'b', is_online: 1 },
    ])
    writer.commit([r('a', 't', 4, 40)])
    expect(flushes[1]).toEqual({ readings: 1, newDevices: [], latest: ['a/t=4C@40'] })
  })

  it('keeps interleaved devices, sensors and units apart across the thread encoding', () => {
    writer.commit([
      r('a', 't', 1, 10, 'C'),
      r('b', 't', 2, 10, 'F'),
      r('a', 'h', 3, 11, '%'),
      r('a', 't', 4, 12),
      r('b', 't', 5, 13),
      r('b', 'h', 6, 14),
    ])
    expect(rows()).toEqual([
      { d: 'a', s: 't', ts: 10, value: 1 },
      { d: 'b', s: 't', ts: 10, value: 2 },
      { d: 'a', s: 'h', ts: 11, value: 3 },
      { d: 'a', s: 't', ts: 12, value: 4 },
      { d: 'b', s: 't', ts: 13, value: 5 },
      { d: 'b', s: 'h', ts: 14, value: 6 },
    ])
    expect(flushes[0]!.latest.sort()).toEqual(['a/h=3%@11', 'a/t=4C@12', 'b/h=6@14', 'b/t=5F@13'])
  })

  it('writes batches larger than one multi-row INSERT whole, in order, or not at all', () => {
    const many = Array.from({ length: 150 }, (_, i) => r(i < 100 ? 'a' : 'b', i % 2 ? 'h' : 't', i, 1000 + i))
    writer.commit(many)
    const stored = rows() as { d: string; s: string; ts: number; value: number }[]
    expect(stored).toHaveLength(150)
    expect(stored.map((x) => x.value)).toEqual(many.map((x) => x.value))
    expect(stored[120]).toEqual({ d: 'b', s: 't', ts: 1120, value: 120 })
    const bad = Array.from({ length: 150 }, (_, i) => r('c', 't', i === 70 ? NaN : i, 5000 + i))
    expect(() => writer.commit(bad)).toThrow()
    expect(rows()).toHaveLength(150)
  })

  it('keeps the latest value when an older reading arrives, and takes a new unit', () => {
    writer.commit([r('a', 't', 1, 100, 'C')])
    writer.commit([r('a', 't', 0, 50)])
    expect(flushes[1]!.latest).toEqual([])
    expect(db.prepare('SELECT last_value, last_ts, unit FROM sensors').get()).toEqual({
      last_value: 1,
      last_ts: 100,
      unit: 'C',
    })
    writer.commit([r('a', 't', 300, 200, 'K')])
    expect(db.prepare('SELECT last_value, last_ts, unit FROM sensors').get()).toEqual({
      last_value: 300,
      last_ts: 200,
      unit: 'K',
    })
  })

  it('rolls back a failed flush entirely and recovers on the next one', () => {
    writer.commit([r('a', 't', 1, 1)])
    // NaN never passes validation (SQLite would store NULL: NOT NULL fails); here it stands for any
    // failure inside the transaction.
    const bad = [r('a', 'new-sensor', 1, 2), r('c', 't', 1, 3), r('a', 't', NaN, 4)]
    expect(() => writer.commit(bad)).toThrow()
    expect(rows()).toHaveLength(1)
    expect(db.prepare("SELECT count(*) AS n FROM devices WHERE id = 'c'").get()).toEqual({ n: 0 })
    expect(db.prepare("SELECT count(*) AS n FROM sensors WHERE name = 'new-sensor'").get()).toEqual({ n: 0 })
    // The sensor and device the rolled-back flush created are not trusted from the cache.
    writer.commit([r('a', 'new-sensor', 1, 5), r('c', 't', 1, 6)])
    expect(rows()).toHaveLength(3)
  })

  it('forgets a deleted device, and stays correct past its cache bound', () => {
    const small = make(2)
    small.commit([r('a', 's1', 1, 1), r('a', 's2', 1, 1), r('b', 's1', 1, 1), r('b', 's2', 1, 1)])
    expect(small.cachedSensors).toBe(4)
    small.commit([r('a', 's1', 2, 2), r('c', 's9', 2, 2)])
    // Past the bound the cache started over.
    expect(small.cachedSensors).toBeLessThanOrEqual(3)
    db.prepare("DELETE FROM devices WHERE id = 'a'").run()
    small.forget('a')
    small.commit([r('a', 's1', 3, 3)])
    expect(
      db
        .prepare(
          "SELECT count(*) AS n FROM readings r JOIN sensors s ON s.id = r.sensor_id WHERE s.device_id = 'a'",
        )
        .get(),
    ).toEqual({ n: 1 })
  })
})
