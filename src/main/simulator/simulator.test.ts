import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { startSimulator, type Simulator } from './simulator'

let station: TestStation
let url: string
let admin: string
const running: Simulator[] = []

beforeAll(async () => {
  station = await createTestStation()
  url = (await station.start()).url
  admin = await station.login()
})

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()))
  await station.close()
})

/** Polls `cond` every 25 ms; fails after `timeoutMs`. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function start(opts: Parameters<typeof startSimulator>[0]): Simulator {
  const sim = startSimulator(opts)
  running.push(sim)
  return sim
}

/** Readings the station holds for these devices and sensors, through the history API. */
async function stored(deviceIds: readonly string[], sensors: string[]): Promise<number> {
  let total = 0
  for (const id of deviceIds) {
    for (const sensor of sensors) {
      const res = await station.app.inject({
        method: 'GET',
        url: `/api/v1/devices/${id}/readings?sensor=${sensor}&limit=1`,
        headers: { authorization: `Bearer ${admin}` },
      })
      expect(res.statusCode).toBe(200)
      total += (res.json() as { data: { total: number } }).data.total
    }
  }
  return total
}

describe.each(['http', 'ws'] as const)('device simulator over %s', (mode) => {
  it('sends readings the station acknowledges, and every acknowledged reading is stored', async () => {
    const sim = start({
      url,
      key: TEST_DEVICE_KEY,
      mode,
      devices: 3,
      rate: 20,
      sensors: 2,
      heartbeatMs: 200,
      prefix: `sim-${mode}-`,
    })
    await waitFor('60 acknowledged readings', () => sim.stats().readingsAcknowledged >= 60)
    await waitFor('a heartbeat acknowledged', () => sim.stats().heartbeatsAcknowledged > 0)
    const final = await sim.stop()

    expect(final.errors).toBe(0)
    expect(final.readingsRejected).toBe(0)
    expect(final.readingsResent).toBe(0)
    // stop() waits for every answer: whatever was sent is acknowledged, and it is all in the database.
    expect(final.readingsSent).toBe(final.readingsAcknowledged)
    expect(await stored(sim.deviceIds, ['temperature', 'humidity'])).toBe(final.readingsAcknowledged)
    expect(final.readingsGenerated).toBe(final.readingsAcknowledged + final.readingsPending)
  })

  it('executes and acknowledges a buzzer command a guard triggers', async () => {
    const guard = await station.guardToken()
    const sim = start({
      url,
      key: TEST_DEVICE_KEY,
      mode,
      devices: 1,
      rate: 2,
      sensors: 1,
      heartbeatMs: 100,
      prefix: `buzz-${mode}-`,
    })
    const deviceId = sim.deviceIds[0]!
    // The station knows the device (and, over HTTP, that it is online) once a reading was stored.
    await waitFor(
      'the device to report',
      () => sim.stats().readingsAcknowledged > 0 && sim.stats().connected === 1,
    )

    const res = await station.app.inject({
      method: 'POST',
      url: `/api/v1/buzzer/${deviceId}`,
      headers: { authorization: `Bearer ${guard}` },
      payload: { action: 'on', durationMs: 1500, pattern: 'pulse' },
    })
    expect(res.statusCode).toBe(200)
    const requestId = (res.json() as { data: { requestId: string } }).data.requestId

    await waitFor('the buzzer request to be acknowledged', async () => {
      const r = await station.app.inject({
        method: 'GET',
        url: `/api/v1/buzzer/requests/${requestId}`,
        headers: { authorization: `Bearer ${guard}` },
      })
      return (r.json() as { data: { status: string } }).data.status === 'acknowledged'
    })
    const s = sim.stats()
    expect(s.buzzerCommandsExecuted).toBe(1)
    expect(s.buzzerAcksSent).toBeGreaterThanOrEqual(1)
    await sim.stop()
  })
})

describe('device simulator when the station refuses', () => {
  it('keeps readings and backs off on 503 (HTTP) or a retry error frame (WebSocket), never counting them as stored', async () => {
    // Groups of more than one reading never fit a bound of one. How many readings a group holds depends on
    // how late the simulator's ticks run (a busy machine makes bigger ticks, whose remainder may be a group
    // of one that fits and is stored): what must hold is that the simulator counts as stored exactly what
    // the station stored, and puts every refused group back.
    const small = await createTestStation({ STATION_READING_QUEUE_MAX: '1' })
    const smallAdmin = await small.login()
    const storedIn = async (deviceId: string) => {
      const res = await small.app.inject({
        method: 'GET',
        url: `/api/v1/devices/${deviceId}/readings?sensor=temperature&limit=1`,
        headers: { authorization: `Bearer ${smallAdmin}` },
      })
      return res.statusCode === 404 ? 0 : (res.json() as { data: { total: number } }).data.total
    }
    try {
      const smallUrl = (await small.start()).url
      for (const mode of ['http', 'ws'] as const) {
        const sim = start({
          url: smallUrl,
          key: TEST_DEVICE_KEY,
          mode,
          devices: 1,
          rate: 200,
          batch: 10,
          sensors: 1,
          heartbeatMs: 60_000,
          prefix: `full-${mode}-`,
        })
        await waitFor(`${mode}: an overload answer`, () => sim.stats().overloaded > 0)
        const s = await sim.stop()
        expect(s.readingsAcknowledged).toBe(await storedIn(sim.deviceIds[0]!))
        expect(s.readingsRejected).toBe(0)
        // Every refused group went back into the buffer (a group holds up to 10: the tick may have made fewer).
        expect(s.readingsResent).toBeGreaterThan(0)
        expect(s.readingsPending).toBeGreaterThan(0)
      }
    } finally {
      await small.close()
    }
  })

  it.each(['http', 'ws'] as const)(
    '%s: reports a wrong device key and counts nothing as stored',
    async (mode) => {
      const sim = start({
        url,
        key: 'wrong-key-0123456789abcdef',
        mode,
        devices: 2,
        rate: 20,
        concurrency: 1,
        prefix: `badkey-${mode}-`,
      })
      // Both devices get their refusal: a refused device does not hold on to the only connection slot.
      await waitFor('both refusals', () => sim.stats().errors >= 2)
      const s = await sim.stop()
      expect(s.readingsAcknowledged).toBe(0)
      expect(s.connects).toBe(0)
      expect(s.lastError).toContain('401')
    },
  )
})
