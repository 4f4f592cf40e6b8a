/**
 * Quitting the desktop app while devices are sending: the quit waits for the station to refuse new
 * work, flush its write queues and close the database, then exits; every reading the station
 * acknowledged is in the database afterwards. Also through SIGTERM, and bounded when a stop hangs.
 */
import Database from 'better-sqlite3'
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { installQuitSequence } from './quit-sequence'
import { AppDouble } from './test-support/electron-double'

const quiet = { info: () => {}, error: () => {} }
let station: TestStation | undefined
afterEach(async () => {
  await station?.close()
  station = undefined
})

/** Devices posting batches of readings as fast as the station acknowledges them, until it stops. */
function sendUntilStopped(url: string, devices: number) {
  const acked: { deviceId: string; ts: number }[] = []
  let stop = false
  const device = async (deviceId: string) => {
    let ts = 1_700_000_000_000
    while (!stop) {
      const batch = Array.from({ length: 50 }, () => ({
        deviceId,
        sensor: 'temperature',
        value: 21.5,
        unit: 'C',
        ts: ts++,
      }))
      try {
        const res = await fetch(`${url}/api/v1/ingest/sensor-data`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-device-key': TEST_DEVICE_KEY },
          body: JSON.stringify({ readings: batch }),
        })
        if (res.status === 200) acked.push(...batch.map((r) => ({ deviceId, ts: r.ts })))
        else await res.arrayBuffer()
      } catch {
        return // the station closed the connection: it is stopping
      }
    }
  }
  const done = Promise.all(Array.from({ length: devices }, (_, i) => device(`quit-dev-${i}`)))
  return { acked, finish: () => ((stop = true), done) }
}

describe('the quit sequence', () => {
  it('flushes every acknowledged reading to the database before exiting', async () => {
    station = await createTestStation()
    const { url } = await station.start()
    const app = new AppDouble({ userData: '/x', logs: '/x' })
    const order: string[] = []
    const running = station
    const quit = installQuitSequence({
      app,
      signals: new EventEmitter() as never,
      quit: () => app.quit(),
      beforeStop: () => order.push('shell closed'),
      stop: async () => {
        order.push('station stopping')
        await running.stop()
        order.push('station stopped')
      },
      log: quiet,
    })
    const load = sendUntilStopped(url, 8)
    const end = Date.now() + 15_000
    while (load.acked.length < 2000 && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
    expect(load.acked.length).toBeGreaterThanOrEqual(2000)

    app.quit()
    // A second quit (the tray clicked twice, or a signal) does not start a second stop.
    app.quit()
    expect(await quit.exited).toBe(0)
    expect(app.exitCode).toBe(0)
    order.push('exited')
    await load.finish()
    expect(order).toEqual(['shell closed', 'station stopping', 'station stopped', 'exited'])

    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true })
    const find = db.prepare<[string, number], { n: number }>(
      'SELECT count(*) AS n FROM readings r JOIN sensors s ON s.id = r.sensor_id WHERE s.device_id = ? AND r.ts = ?',
    )
    const missing = load.acked.filter((r) => find.get(r.deviceId, r.ts)?.n !== 1)
    const stored = (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n
    db.close()
    expect(missing).toEqual([])
    expect(stored).toBeGreaterThanOrEqual(load.acked.length)
  })

  it('quits the same way on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const app = new AppDouble({ userData: '/x', logs: '/x' })
      const signals = new EventEmitter()
      let stopped = 0
      const quit = installQuitSequence({
        app,
        signals: signals as never,
        quit: () => app.quit(),
        beforeStop: () => {},
        stop: async () => void stopped++,
        log: quiet,
      })
      signals.emit(signal)
      expect(await quit.exited).toBe(0)
      expect(stopped).toBe(1)
    }
  })

  it('exits with code 1 when the station does not stop in time, or fails to', async () => {
    const hung = new AppDouble({ userData: '/x', logs: '/x' })
    const a = installQuitSequence({
      app: hung,
      signals: new EventEmitter() as never,
      quit: () => hung.quit(),
      beforeStop: () => {},
      stop: () => new Promise(() => {}),
      log: quiet,
      timeoutMs: 50,
    })
    hung.quit()
    expect(await a.exited).toBe(1)

    const failing = new AppDouble({ userData: '/x', logs: '/x' })
    const b = installQuitSequence({
      app: failing,
      signals: new EventEmitter() as never,
      quit: () => failing.quit(),
      beforeStop: () => {
        throw new Error('tray already gone')
      },
      stop: async () => {
        throw new Error('disk gone')
      },
      log: quiet,
    })
    failing.quit()
    expect(await b.exited).toBe(1)
  })
})
