/**
 * Implausible device times (a clock an hour ahead, seconds instead of milliseconds, a clock never set, the
 * largest time) are refused with an error naming the reading, over HTTP and the device socket, so they can
 * never become a sensor's "latest" and hide the readings that follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'

const HOUR = 3_600_000

describe('device times outside the plausible window', () => {
  let st: TestStation
  let admin: string
  beforeAll(async () => {
    // The catalog's defaults: 7 days behind, 5 minutes ahead.
    st = await createTestStation({
      STATION_READING_MAX_AGE_MS: String(7 * 24 * HOUR),
      STATION_READING_MAX_AHEAD_MS: '300000',
    })
    admin = await st.login()
  })
  afterAll(() => st.close())

  const post = (body: unknown) =>
    st.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': TEST_DEVICE_KEY },
      payload: body as object,
    })
  /** The device's latest value per sensor ([] for a device without readings, registered or not). */
  const latest = async (deviceId: string) => {
    const res = await st.app.inject({
      method: 'GET',
      url: `/api/v1/devices/${deviceId}`,
      headers: { authorization: `Bearer ${admin}` },
    })
    if (res.statusCode === 404) return []
    return res.json().data.sensors as { sensor: string; value: number; ts: number }[]
  }

  it('refuses a reading an hour ahead, so the next reading is the latest', async () => {
    const ahead = await post({ deviceId: 'clock-ahead', sensor: 't', value: 1, ts: Date.now() + HOUR })
    expect(ahead.statusCode).toBe(400)
    expect(ahead.json()).toMatchObject({ code: 'VALIDATION' })
    expect(ahead.json().message).toMatch(/^Reading 0: ts \d+ .* clock is ahead/)

    const now = Date.now()
    expect((await post({ deviceId: 'clock-ahead', sensor: 't', value: 2, ts: now })).statusCode).toBe(200)
    expect((await post({ deviceId: 'clock-ahead', sensor: 't', value: 3 })).statusCode).toBe(200)
    const [t] = await latest('clock-ahead')
    expect(t).toMatchObject({ sensor: 't', value: 3 })
  })

  it('names seconds sent instead of milliseconds, a clock never set and the largest time', async () => {
    const seconds = await post({
      deviceId: 'dev-s',
      sensor: 't',
      value: 1,
      ts: Math.floor(Date.now() / 1000),
    })
    expect(seconds.statusCode).toBe(400)
    expect(seconds.json().message).toContain('looks like seconds')

    const unset = await post({
      readings: [
        { deviceId: 'dev-s', sensor: 't', value: 1, ts: Date.now() },
        { deviceId: 'dev-s', sensor: 't', value: 2, ts: 5_000 },
      ],
    })
    expect(unset.statusCode).toBe(400)
    expect(unset.json().message).toMatch(/^Reading 1: ts 5000 \(1970-01-01T00:00:05\.000Z\).*looks unset/)

    const max = await post({ deviceId: 'dev-s', sensor: 't', value: 1, ts: 8_640_000_000_000_000 })
    expect(max.statusCode).toBe(400)
    // All or nothing: the batch's good reading was not stored either.
    expect(await latest('dev-s')).toEqual([])
  })

  it('refuses them on the device socket with a VALIDATION frame naming the reading', async () => {
    const { port } = await st.start()
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/device?deviceId=dev-ws`, {
      headers: { 'x-device-key': TEST_DEVICE_KEY },
    })
    const frames: Record<string, unknown>[] = []
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>))
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    ws.send(
      JSON.stringify({
        op: 'readings',
        id: 4,
        readings: [
          { sensor: 't', value: 1 },
          { sensor: 't', value: 2, ts: Date.now() + 2 * HOUR },
        ],
      }),
    )
    ws.send(JSON.stringify({ op: 'reading', id: 5, sensor: 't', value: 7 }))
    await expect.poll(() => frames.length, { timeout: 10_000 }).toBe(2)
    const refused = frames.find((f) => f.id === 4)
    expect(refused).toMatchObject({ op: 'error', code: 'VALIDATION' })
    expect(refused!.message).toMatch(/^Reading 1: /)
    expect(frames.find((f) => f.id === 5)).toMatchObject({ op: 'ack', accepted: 1 })
    expect(await latest('dev-ws')).toEqual([expect.objectContaining({ sensor: 't', value: 7 })])
    ws.close()
  })
})
