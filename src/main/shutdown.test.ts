/**
 * Graceful shutdown: SIGTERM while devices are posting readings. The station stops accepting, commits what
 * it holds and exits 0; afterwards the database holds exactly the readings it acknowledged.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { databasePath } from './database/open'
import { postBatch, startStationProcess, type StationProcess } from './devices/station-process'

const SIGTERM_AFTER_ACKED = 4000

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-shutdown-'))
  let proc: StationProcess | undefined
  afterAll(() => {
    proc?.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('stores exactly what it acknowledged when stopped under load, and exits 0', async () => {
    const p = await startStationProcess(dataDir)
    proc = p
    let acked = 0
    let signalled = false
    let stop = false
    const worker = async (w: number) => {
      for (let seq = 0; !stop; seq++) {
        const readings = Array.from({ length: 25 }, (_, i) => ({
          deviceId: `sd-${w % 6}`,
          sensor: 'seq',
          value: seq,
          ts: w * 10_000_000 + seq * 25 + i,
        }))
        const { status } = await postBatch(p.url, readings)
        if (status === 200) {
          acked += readings.length
          if (!signalled && acked >= SIGTERM_AFTER_ACKED) {
            signalled = true
            p.child.kill('SIGTERM')
          }
        } else if (status !== 503) {
          // Connection refused or reset: the station has stopped listening.
          stop = true
        }
      }
    }
    await Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)))
    const exit = await p.exited
    expect(exit).toEqual({ code: 0, signal: null })
    expect(signalled).toBe(true)

    const db = new Database(databasePath(dataDir), { readonly: true })
    try {
      const stored = (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n
      expect(stored).toBe(acked)
    } finally {
      db.close()
    }
  }, 180_000)
})
