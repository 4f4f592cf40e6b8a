/**
 * Overload: with a small readings queue bound, concurrent batches overrun it. The station answers 503 with
 * Retry-After instead of queueing without bound, keeps serving, loses nothing it acknowledged, and its
 * memory stays bounded.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { databasePath } from './database/open'
import { postBatch, startStationProcess, type StationProcess } from './devices/station-process'

const QUEUE_MAX = 50
const BATCH = 50
const WORKERS = 24
const REQUESTS_PER_WORKER = 40

describe('overload', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-overload-'))
  let proc: StationProcess | undefined
  afterAll(() => {
    proc?.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses with 503 + Retry-After past the queue bound and loses nothing it acknowledged', async () => {
    const p = await startStationProcess(dataDir, { STATION_READING_QUEUE_MAX: String(QUEUE_MAX) })
    proc = p
    let acked = 0
    let refused = 0
    const retryAfter = new Set<string | null>()
    const other: number[] = []
    let maxRss = 0
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, p.rss() ?? 0)), 50)
    const worker = async (w: number) => {
      for (let seq = 0; seq < REQUESTS_PER_WORKER; seq++) {
        const readings = Array.from({ length: BATCH }, (_, i) => ({
          deviceId: `ov-${w % 8}`,
          sensor: `s${i % 5}`,
          value: i,
          ts: w * 10_000_000 + seq * BATCH + i,
        }))
        const { status, retryAfter: ra } = await postBatch(p.url, readings)
        if (status === 200) acked += BATCH
        else if (status === 503) {
          refused++
          retryAfter.add(ra)
        } else other.push(status)
      }
    }
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
    clearInterval(sampler)

    expect(other).toEqual([])
    expect(refused).toBeGreaterThan(0)
    expect(acked).toBeGreaterThan(0)
    // Every refusal told the device when to come back.
    expect([...retryAfter].every((v) => v !== null && Number(v) >= 1)).toBe(true)
    // Still serving after the storm.
    const health = await fetch(`${p.url}/api/health`)
    expect(health.status).toBe(200)
    // Memory stayed bounded (the queue never held more than QUEUE_MAX readings); a loose ceiling.
    if (maxRss > 0) expect(maxRss).toBeLessThan(512 * 1024 * 1024)

    p.child.kill('SIGTERM')
    expect((await p.exited).code).toBe(0)
    const db = new Database(databasePath(dataDir), { readonly: true })
    try {
      expect((db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n).toBe(acked)
    } finally {
      db.close()
    }
  }, 180_000)
})
