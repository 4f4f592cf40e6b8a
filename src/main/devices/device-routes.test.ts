import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('device routes', () => {
  let st: TestStation
  let admin: string
  let guard: string
  const key = { 'x-device-key': TEST_DEVICE_KEY }
  const as = (token: string) => ({ authorization: `Bearer ${token}` })
  const ingest = (payload: object) =>
    st.app.inject({ method: 'POST', url: '/api/v1/ingest/sensor-data', headers: key, payload })
  const get = (url: string, token = guard) => st.app.inject({ method: 'GET', url, headers: as(token) })

  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
    guard = await st.guardToken()
    const base = 1_700_000_000_000
    const readings = []
    for (let i = 0; i < 60; i++) {
      readings.push({
        deviceId: 'dev-1',
        sensor: i % 2 ? 'temp' : 'hum',
        value: i,
        unit: i % 2 ? 'C' : '%',
        ts: base + i * 1000,
      })
    }
    expect((await ingest({ readings })).statusCode).toBe(200)
  })
  afterAll(async () => {
    await st.close()
  })

  it('lists devices for guards with online state', async () => {
    const res = await get('/api/v1/devices')
    expect(res.statusCode).toBe(200)
    const dev = res.json().data.find((d: { id: string }) => d.id === 'dev-1')
    expect(dev).toMatchObject({
      id: 'dev-1',
      name: 'dev-1',
      areaId: null,
      online: true,
      connected: false,
      hasToken: false,
    })
    expect(dev.lastSeenAt).toBeGreaterThan(0)
    expect((await st.app.inject({ method: 'GET', url: '/api/v1/devices' })).statusCode).toBe(401)
    expect((await st.app.inject({ method: 'GET', url: '/api/v1/devices', headers: key })).statusCode).toBe(
      403,
    )
  })

  it('shows one device with the latest reading of each sensor', async () => {
    const res = await get('/api/v1/devices/dev-1')
    expect(res.statusCode).toBe(200)
    expect(res.json().data.sensors).toEqual([
      { sensor: 'hum', value: 58, unit: '%', ts: 1_700_000_000_000 + 58_000 },
      { sensor: 'temp', value: 59, unit: 'C', ts: 1_700_000_000_000 + 59_000 },
    ])
    // A new reading shows at once (the latest-readings cache is written through on commit).
    await ingest({ deviceId: 'dev-1', sensor: 'temp', value: 99, ts: 1_800_000_000_000 })
    const again = await get('/api/v1/devices/dev-1')
    expect(again.json().data.sensors[1]).toEqual({
      sensor: 'temp',
      value: 99,
      unit: 'C',
      ts: 1_800_000_000_000,
    })
    expect((await get('/api/v1/devices/nope')).statusCode).toBe(404)
    expect((await get('/api/v1/devices/..%2Fx')).statusCode).toBe(400)
  })

  it('serves history with the total in range, paging and a sensor filter', async () => {
    const base = 1_700_000_000_000
    const res = await get(
      `/api/v1/devices/dev-1/readings?sensor=temp&from=${base}&to=${base + 59_000}&limit=5&offset=2`,
    )
    expect(res.statusCode).toBe(200)
    const { readings, total } = res.json().data
    expect(total).toBe(30)
    expect(readings).toHaveLength(5)
    // Newest first: temp has odd i; offset 2 skips 59 and 57.
    expect(readings[0]).toEqual({ ts: base + 55_000, value: 55, sensor: 'temp', unit: 'C' })
    const all = await get(`/api/v1/devices/dev-1/readings?from=${base}&to=${base + 9_000}`)
    expect(all.json().data.total).toBe(10)
    expect(all.json().data.readings.map((r: { value: number }) => r.value)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ])
    expect(all.json().data.readings[1]).toMatchObject({ sensor: 'hum', unit: '%' })
    expect((await get('/api/v1/devices/dev-1/readings?sensor=nope')).statusCode).toBe(404)
    expect((await get('/api/v1/devices/nope/readings')).statusCode).toBe(404)
    expect((await get('/api/v1/devices/dev-1/readings?limit=100000')).statusCode).toBe(400)
    expect((await get('/api/v1/devices/dev-1/readings?from=10&to=5')).statusCode).toBe(400)
  })

  it('aggregates history per bucket', async () => {
    const base = 1_700_000_000_000
    const res = await get(
      `/api/v1/devices/dev-1/readings?sensor=hum&from=${base}&to=${base + 59_000}&bucket=20000`,
    )
    expect(res.statusCode).toBe(200)
    const { buckets, total, bucketMs } = res.json().data
    expect(total).toBe(30)
    expect(bucketMs).toBe(20_000)
    // base is a multiple of 20 s: hum (even i) splits 10/10/10.
    expect(buckets).toEqual([
      { ts: base, sensor: 'hum', min: 0, max: 18, avg: 9, count: 10 },
      { ts: base + 20_000, sensor: 'hum', min: 20, max: 38, avg: 29, count: 10 },
      { ts: base + 40_000, sensor: 'hum', min: 40, max: 58, avg: 49, count: 10 },
    ])
    const both = await get(`/api/v1/devices/dev-1/readings?from=${base}&to=${base + 59_000}&bucket=100000`)
    expect(both.json().data.buckets).toEqual([
      { ts: base, sensor: 'hum', min: 0, max: 58, avg: 29, count: 30 },
      { ts: base, sensor: 'temp', min: 1, max: 59, avg: 30, count: 30 },
    ])
  })

  it('lets only admins rename, move and delete devices', async () => {
    const body = { name: 'Lobby sensor' }
    expect(
      (
        await st.app.inject({
          method: 'PUT',
          url: '/api/v1/devices/dev-1',
          headers: as(guard),
          payload: body,
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (await st.app.inject({ method: 'DELETE', url: '/api/v1/devices/dev-1', headers: as(guard) }))
        .statusCode,
    ).toBe(403)
    expect(
      (await st.app.inject({ method: 'POST', url: '/api/v1/devices/dev-1/token', headers: as(guard) }))
        .statusCode,
    ).toBe(403)
    const res = await st.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/dev-1',
      headers: as(admin),
      payload: body,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().data).toMatchObject({ id: 'dev-1', name: 'Lobby sensor' })
    expect((await get('/api/v1/devices/dev-1')).json().data.name).toBe('Lobby sensor')
    const badArea = await st.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/dev-1',
      headers: as(admin),
      payload: { areaId: 9999 },
    })
    expect(badArea.statusCode).toBe(400)
    expect(badArea.json().message).toContain('9999')
    const area = await st.app.inject({
      method: 'POST',
      url: '/api/areas',
      headers: as(admin),
      payload: { name: 'Lobby' },
    })
    expect(area.statusCode).toBeLessThan(300)
    const areaId = area.json().data.id as number
    const moved = await st.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/dev-1',
      headers: as(admin),
      payload: { areaId },
    })
    expect(moved.json().data.areaId).toBe(areaId)
    const empty = await st.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/dev-1',
      headers: as(admin),
      payload: {},
    })
    expect(empty.statusCode).toBe(400)
    expect(
      (await st.app.inject({ method: 'PUT', url: '/api/v1/devices/nope', headers: as(admin), payload: body }))
        .statusCode,
    ).toBe(404)
  })

  it('answers heartbeats with server time and pending buzzer commands', async () => {
    await ingest({ deviceId: 'hb-1', sensor: 't', value: 1 })
    const hb = () => st.app.inject({ method: 'POST', url: '/api/v1/devices/hb-1/heartbeat', headers: key })
    const first = await hb()
    expect(first.statusCode).toBe(200)
    expect(first.json().data.commands).toEqual([])
    expect(Math.abs(first.json().data.serverTime - Date.now())).toBeLessThan(60_000)
    const queued = await st.app.inject({
      method: 'POST',
      url: '/api/v1/buzzer/hb-1',
      headers: as(guard),
      payload: { action: 'on', durationMs: 2000, pattern: 'pulse' },
    })
    expect(queued.statusCode).toBe(200)
    const second = await hb()
    expect(second.json().data.commands).toEqual([
      {
        op: 'buzzer',
        requestId: queued.json().data.requestId,
        action: 'on',
        durationMs: 2000,
        pattern: 'pulse',
      },
    ])
    // An unknown device that presents the key is registered by its heartbeat.
    const fresh = await st.app.inject({
      method: 'POST',
      url: '/api/v1/devices/hb-new/heartbeat',
      headers: key,
    })
    expect(fresh.statusCode).toBe(200)
    await waitFor(async () => (await get('/api/v1/devices/hb-new')).statusCode === 200)
    expect((await st.app.inject({ method: 'POST', url: '/api/v1/devices/hb-1/heartbeat' })).statusCode).toBe(
      401,
    )
  })

  it('issues and revokes per-device tokens', async () => {
    await ingest({ deviceId: 'tok-a', sensor: 't', value: 1 })
    const issued = await st.app.inject({
      method: 'POST',
      url: '/api/v1/devices/tok-a/token',
      headers: as(admin),
    })
    expect(issued.statusCode).toBe(200)
    const token = issued.json().data.token as string
    expect(token.length).toBeGreaterThan(30)
    // Stored hashed, never in clear.
    const row = st.app.db.prepare("SELECT token_hash FROM devices WHERE id = 'tok-a'").get() as {
      token_hash: string
    }
    expect(row.token_hash).not.toContain(token)
    expect((await get('/api/v1/devices/tok-a')).json().data.hasToken).toBe(true)
    const hb = (id: string) =>
      st.app.inject({ method: 'POST', url: `/api/v1/devices/${id}/heartbeat`, headers: as(token) })
    expect((await hb('tok-a')).statusCode).toBe(200)
    expect((await hb('hb-1')).statusCode).toBe(403)
    const revoked = await st.app.inject({
      method: 'DELETE',
      url: '/api/v1/devices/tok-a/token',
      headers: as(admin),
    })
    expect(revoked.statusCode).toBe(200)
    expect((await hb('tok-a')).statusCode).toBe(401)
    expect((await get('/api/v1/devices/tok-a')).json().data.hasToken).toBe(false)
    expect(
      (await st.app.inject({ method: 'POST', url: '/api/v1/devices/nope/token', headers: as(admin) }))
        .statusCode,
    ).toBe(404)
  })

  it('deletes a device with its sensors and readings', async () => {
    const readings = Array.from({ length: 1000 }, (_, i) => ({
      deviceId: 'gone',
      sensor: `s${i % 4}`,
      value: i,
    }))
    for (let i = 0; i < 25; i++) expect((await ingest({ readings })).statusCode).toBe(200)
    const res = await st.app.inject({ method: 'DELETE', url: '/api/v1/devices/gone', headers: as(admin) })
    expect(res.statusCode).toBe(200)
    expect(st.app.db.prepare("SELECT count(*) AS n FROM sensors WHERE device_id = 'gone'").get()).toEqual({
      n: 0,
    })
    expect((await get('/api/v1/devices/gone')).statusCode).toBe(404)
    expect(
      (await st.app.inject({ method: 'DELETE', url: '/api/v1/devices/gone', headers: as(admin) })).statusCode,
    ).toBe(404)
    // It may come back: the writer forgot its cached sensor ids.
    expect((await ingest({ deviceId: 'gone', sensor: 's1', value: 1 })).statusCode).toBe(200)
    const back = await get('/api/v1/devices/gone/readings')
    expect(back.json().data.total).toBe(1)
  })
})

describe('device presence', () => {
  let st: TestStation
  beforeAll(async () => {
    // A short offline window, so the sweep can be watched.
    st = await createTestStation({ STATION_DEVICE_OFFLINE_MS: '1000' })
  })
  afterAll(async () => {
    await st.close()
  })

  it('marks a silent device offline, records the event, and back online when heard', async () => {
    const ingest = (value: number) =>
      st.app.inject({
        method: 'POST',
        url: '/api/v1/ingest/sensor-data',
        headers: { 'x-device-key': TEST_DEVICE_KEY },
        payload: { deviceId: 'quiet', sensor: 't', value },
      })
    const events = () =>
      st.app.db.prepare("SELECT type, severity FROM events WHERE source_id = 'quiet' ORDER BY id").all() as {
        type: string
        severity: string
      }[]
    const isOnlineInDb = () =>
      (st.app.db.prepare("SELECT is_online FROM devices WHERE id = 'quiet'").get() as { is_online: number })
        .is_online
    expect((await ingest(1)).statusCode).toBe(200)
    await waitFor(() => events().some((e) => e.type === 'device.offline'))
    expect(st.app.devices.isOnline('quiet')).toBe(false)
    await waitFor(() => isOnlineInDb() === 0)
    const admin = await st.login()
    const detail = await st.app.inject({
      method: 'GET',
      url: '/api/v1/devices/quiet',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(detail.json().data.online).toBe(false)
    expect((await ingest(2)).statusCode).toBe(200)
    await waitFor(() => events().length >= 3)
    expect(events().slice(0, 3)).toEqual([
      { type: 'device.online', severity: 'info' },
      { type: 'device.offline', severity: 'warning' },
      { type: 'device.online', severity: 'info' },
    ])
  })
})
