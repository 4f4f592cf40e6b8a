import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../test-helper'

/** Keeps the event loop late (blocks it ~80 ms in every ~90 ms) until the station says it is under pressure. */
async function overload(st: TestStation): Promise<void> {
  const until = Date.now() + 15_000
  while (!st.app.isUnderPressure()) {
    if (Date.now() > until) throw new Error('the station never came under pressure')
    const end = Date.now() + 80
    while (Date.now() < end) {
      /* busy: the event loop is held up */
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('load shedding under event-loop pressure', () => {
  let st: TestStation
  let guard: string
  beforeAll(async () => {
    st = await createTestStation({ STATION_OVERLOAD_DELAY_MS: '20' })
    guard = await st.guardToken()
  })
  afterAll(() => st.close())

  it('refuses new HTTP readings with 503 OVERLOADED and Retry-After, and keeps serving heartbeats and guards', async () => {
    const device = { 'x-device-key': TEST_DEVICE_KEY }
    // The pressure reading is refreshed every second: should it refresh between the overload and the
    // requests (and find a calm loop), overload again.
    const attempt = async () => {
      await overload(st)
      return Promise.all([
        st.app.inject({
          method: 'POST',
          url: '/api/v1/ingest/sensor-data',
          headers: device,
          payload: { deviceId: 'shed-1', sensor: 'temperature', value: 21 },
        }),
        st.app.inject({ method: 'POST', url: '/api/v1/devices/shed-2/heartbeat', headers: device }),
        st.app.inject({ method: 'GET', url: '/api/cameras', headers: { authorization: `Bearer ${guard}` } }),
        st.app.inject({ method: 'GET', url: '/api/health' }),
      ])
    }
    let answers = await attempt()
    for (let i = 0; i < 3 && answers[0].statusCode !== 503; i++) answers = await attempt()
    const [ingest, heartbeat, cameras, health] = answers
    expect(ingest.statusCode).toBe(503)
    expect(ingest.headers['retry-after']).toBe('2')
    expect(ingest.json()).toMatchObject({ success: false, statusCode: 503, code: 'OVERLOADED' })
    expect(heartbeat.statusCode).toBe(200)
    expect(cameras.statusCode).toBe(200)
    expect(health.statusCode).toBe(200)
    // Nothing of the refused request was written.
    const row = st.app.db.prepare("SELECT count(*) AS n FROM devices WHERE id = 'shed-1'").get() as {
      n: number
    }
    expect(row.n).toBe(0)
  })
})
