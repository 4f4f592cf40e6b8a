/**
 * A page that goes bad after the start-up checks passed, found by a read-pool query (a real SQLite file,
 * damaged on disk under a running station): the read answers 503 STORAGE_DAMAGED, `/api/health` says
 * degraded, one station event is raised however many reads hit it, writes elsewhere do not clear it, and
 * the station keeps serving.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databasePath } from './open'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

const BASE = 1_700_000_000_000

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('damage found by a read', () => {
  let st: TestStation
  let admin: Record<string, string>
  beforeAll(async () => {
    st = await createTestStation()
    admin = { authorization: `Bearer ${await st.login()}` }
    const ingest = await st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: { deviceId: 'dev-1', sensor: 'temp', value: 20, ts: BASE },
    })
    expect(ingest.statusCode).toBe(200)
    // Enough readings for the table and its index to span many pages, all in the main file.
    const db = st.app.db
    const sensor = db.prepare("SELECT id FROM sensors WHERE name = 'temp'").pluck().get() as number
    const insert = db.prepare('INSERT INTO readings (sensor_id, ts, value) VALUES (?, ?, ?)')
    db.transaction(() => {
      for (let i = 1; i < 20_000; i++) insert.run(sensor, BASE + i * 1000, i % 30)
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
    // Damage the root pages of the readings table and its index, behind SQLite's back.
    const pageSize = db.pragma('page_size', { simple: true }) as number
    const roots = db
      .prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'readings' AND rootpage > 0")
      .pluck()
      .all() as number[]
    const fd = openSync(databasePath(st.dataDir), 'r+')
    for (const page of roots) writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize)
    closeSync(fd)
  })
  afterAll(() => st.close())

  const history = () =>
    st.app.inject({
      method: 'GET',
      url: `/api/v1/devices/dev-1/readings?sensor=temp&from=${BASE}&to=${BASE + 20_000_000}&limit=5`,
      headers: admin,
    })
  const faultEvents = async () => {
    const res = await st.app.inject({ method: 'GET', url: '/api/events?limit=100', headers: admin })
    return (res.json().data.events as { type: string }[]).filter((e) => e.type === 'storage.database_fault')
  }

  it('answers 503 STORAGE_DAMAGED, turns health degraded and raises one event', async () => {
    const res = await history()
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ success: false, code: 'STORAGE_DAMAGED' })
    expect(res.json().message).toMatch(/damaged.*restore a backup/)
    const health = (await st.app.inject({ method: 'GET', url: '/api/health' })).json().data
    expect(health).toMatchObject({ status: 'degraded', storage: { state: 'damaged' } })
    await until('the fault event', async () => (await faultEvents()).length === 1)

    // Asked again: the same answer, no second event; a write elsewhere commits and does not clear it.
    expect((await history()).json()).toMatchObject({ code: 'STORAGE_DAMAGED' })
    const area = await st.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: admin,
      payload: { name: 'Gatehouse' },
    })
    expect(area.statusCode).toBe(201)
    const again = (await st.app.inject({ method: 'GET', url: '/api/health' })).json().data
    expect(again).toMatchObject({ status: 'degraded', storage: { state: 'damaged' } })
    expect(await faultEvents()).toHaveLength(1)
    // The station keeps serving what is not damaged.
    expect((await st.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin })).statusCode).toBe(200)
  })
})
