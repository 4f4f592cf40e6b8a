import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { databasePath } from '../database/open'

const INGEST = '/api/v1/ingest/sensor-data'

describe('POST /api/v1/ingest/sensor-data', () => {
  let st: TestStation
  const key = { 'x-device-key': TEST_DEVICE_KEY }
  const post = (payload: unknown, headers: Record<string, string> = key) =>
    st.app.inject({ method: 'POST', url: INGEST, headers, payload: payload as object })
  const postRaw = (body: string, headers: Record<string, string> = key) =>
    st.app.inject({
      method: 'POST',
      url: INGEST,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    })
  const count = (deviceId?: string) =>
    deviceId === undefined
      ? (st.app.db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n
      : (
          st.app.db
            .prepare(
              'SELECT count(*) AS n FROM readings r JOIN sensors s ON s.id = r.sensor_id WHERE s.device_id = ?',
            )
            .get(deviceId) as { n: number }
        ).n

  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(async () => {
    await st.close()
  })

  it('stores one reading, registers the unknown device and answers after commit', async () => {
    const res = await post({
      deviceId: 'esp32-01',
      sensor: 'temperature',
      value: 23.5,
      unit: 'C',
      ts: 1_732_270_000_000,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ success: true, data: { accepted: 1 } })
    // Acknowledged means committed: a separate connection on the file sees it.
    const other = new Database(databasePath(st.dataDir), { readonly: true })
    try {
      const row = other
        .prepare(
          `SELECT d.name, d.is_online, s.name AS sensor, s.unit, s.last_value, s.last_ts, r.ts, r.value
             FROM devices d JOIN sensors s ON s.device_id = d.id JOIN readings r ON r.sensor_id = s.id
            WHERE d.id = 'esp32-01'`,
        )
        .get()
      expect(row).toEqual({
        name: 'esp32-01',
        is_online: 1,
        sensor: 'temperature',
        unit: 'C',
        last_value: 23.5,
        last_ts: 1_732_270_000_000,
        ts: 1_732_270_000_000,
        value: 23.5,
      })
    } finally {
      other.close()
    }
  })

  it('uses the receive time when ts is missing', async () => {
    const before = Date.now()
    const res = await post({ deviceId: 'no-ts', sensor: 'humidity', value: 40 })
    expect(res.statusCode).toBe(200)
    const row = st.app.db
      .prepare("SELECT r.ts FROM readings r JOIN sensors s ON s.id = r.sensor_id WHERE s.device_id = 'no-ts'")
      .get() as { ts: number }
    expect(row.ts).toBeGreaterThanOrEqual(before)
    expect(row.ts).toBeLessThanOrEqual(Date.now())
  })

  it('stores a batch of 1000 and keeps the newest value per sensor', async () => {
    const base = 1_700_000_000_000
    const readings = Array.from({ length: 1000 }, (_, i) => ({
      deviceId: i % 2 ? 'batch-a' : 'batch-b',
      sensor: i % 3 ? 'temp' : 'volts',
      value: i,
      ts: base + i,
    }))
    // The newest reading of a sensor need not come last.
    readings.reverse()
    const res = await post({ readings })
    expect(res.statusCode).toBe(200)
    expect(res.json().data.accepted).toBe(1000)
    expect(count('batch-a') + count('batch-b')).toBe(1000)
    const latest = st.app.db
      .prepare("SELECT name, last_value, last_ts FROM sensors WHERE device_id = 'batch-a' ORDER BY name")
      .all()
    // batch-a holds odd i; temp: i % 3 != 0 -> newest 999? 999 % 3 == 0, so 997; volts: 999.
    expect(latest).toEqual([
      { name: 'temp', last_value: 997, last_ts: base + 997 },
      { name: 'volts', last_value: 999, last_ts: base + 999 },
    ])
  })

  it('does not move the latest value back for an older reading', async () => {
    await post({ deviceId: 'late', sensor: 's', value: 2, ts: 2000 })
    await post({ deviceId: 'late', sensor: 's', value: 1, ts: 1000 })
    expect(st.app.db.prepare("SELECT last_value FROM sensors WHERE device_id = 'late'").get()).toEqual({
      last_value: 2,
    })
    expect(count('late')).toBe(2)
  })

  it('rejects a whole batch when one reading is bad, naming it', async () => {
    const before = count()
    const readings = [
      { deviceId: 'aon', sensor: 't', value: 1 },
      { deviceId: 'aon', sensor: 't', value: 2 },
      { deviceId: 'aon', sensor: 't', value: 'hot' },
    ]
    const res = await post({ readings })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body).toMatchObject({ success: false, statusCode: 400, error: 'Bad Request', code: 'VALIDATION' })
    expect(body.message).toContain('Reading 2')
    expect(body.message).toContain('value')
    expect(count()).toBe(before)
    expect(st.app.db.prepare("SELECT 1 FROM devices WHERE id = 'aon'").get()).toBeUndefined()
  })

  it.each([
    ['a string for value', { deviceId: 'd1', sensor: 't', value: '23.5' }, 'value'],
    ['a missing sensor', { deviceId: 'd1', value: 1 }, 'sensor'],
    ['a missing deviceId', { sensor: 't', value: 1 }, 'deviceId'],
    ['a missing value', { deviceId: 'd1', sensor: 't' }, 'value'],
    ['null for value', { deviceId: 'd1', sensor: 't', value: null }, 'value'],
    ['a bad device id', { deviceId: '../etc', sensor: 't', value: 1 }, 'deviceId'],
    ['an unknown field', { deviceId: 'd1', sensor: 't', value: 1, extra: true }, 'extra'],
    ['a fractional ts', { deviceId: 'd1', sensor: 't', value: 1, ts: 1.5 }, 'ts'],
    ['a negative ts', { deviceId: 'd1', sensor: 't', value: 1, ts: -1 }, 'ts'],
    ['an array body', [{ deviceId: 'd1', sensor: 't', value: 1 }], 'object'],
    ['an empty batch', { readings: [] }, 'readings'],
  ])('rejects %s with a clear 400', async (_name, payload, mentions) => {
    const before = count()
    const res = await post(payload)
    expect(res.statusCode).toBe(400)
    expect(res.json().success).toBe(false)
    expect(res.json().message).toContain(mentions)
    expect(count()).toBe(before)
  })

  it('rejects non-finite numbers (1e999 parses to Infinity)', async () => {
    const res = await postRaw('{"deviceId":"d1","sensor":"t","value":1e999}')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('value')
  })

  it('rejects malformed JSON', async () => {
    const res = await postRaw('{"deviceId":"d1","sensor":')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ success: false, statusCode: 400 })
  })

  it('rejects a __proto__ key', async () => {
    const res = await postRaw('{"deviceId":"d1","sensor":"t","value":1,"__proto__":{"polluted":true}}')
    expect(res.statusCode).toBe(400)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('rejects a batch over 1000 readings', async () => {
    const readings = Array.from({ length: 1001 }, (_, i) => ({ deviceId: 'big', sensor: 't', value: i }))
    const res = await post({ readings })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('1000')
    expect(count('big')).toBe(0)
  })

  it('answers 413 for a body over the limit', async () => {
    const res = await postRaw(
      `{"deviceId":"d1","sensor":"t","value":1,"unit":"${'x'.repeat(st.config.bodyLimit)}"}`,
    )
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ success: false, statusCode: 413 })
  })

  it('answers 401 for a wrong or missing key, 403 for a user session', async () => {
    const payload = { deviceId: 'd1', sensor: 't', value: 1 }
    expect((await post(payload, { 'x-device-key': 'wrong-key-wrong-key' })).statusCode).toBe(401)
    expect((await post(payload, {})).statusCode).toBe(401)
    const admin = await st.login()
    expect((await post(payload, { authorization: `Bearer ${admin}` })).statusCode).toBe(403)
  })

  it('lets a device token write only its own device', async () => {
    await post({ deviceId: 'tok-1', sensor: 't', value: 1 })
    const admin = await st.login()
    const issued = await st.app.inject({
      method: 'POST',
      url: '/api/v1/devices/tok-1/token',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(issued.statusCode).toBe(200)
    const auth = { authorization: `Bearer ${issued.json().data.token as string}` }
    expect((await post({ deviceId: 'tok-1', sensor: 't', value: 2 }, auth)).statusCode).toBe(200)
    const other = await post(
      {
        readings: [
          { deviceId: 'tok-1', sensor: 't', value: 3 },
          { deviceId: 'tok-2', sensor: 't', value: 3 },
        ],
      },
      auth,
    )
    expect(other.statusCode).toBe(403)
    expect(other.json().message).toContain('Reading 1')
    expect(count('tok-1')).toBe(2)
    expect(count('tok-2')).toBe(0)
  })

  it('survives concurrent requests from many devices', async () => {
    const before = count()
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post({ deviceId: `many-${i % 20}`, sensor: `s${i % 3}`, value: i }),
      ),
    )
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(count()).toBe(before + 200)
    expect(st.app.db.prepare("SELECT count(*) AS n FROM devices WHERE id LIKE 'many-%'").get()).toEqual({
      n: 20,
    })
  })
})
