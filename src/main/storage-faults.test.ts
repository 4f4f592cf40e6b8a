/**
 * Storage faults, on the real headless station: a foreign or damaged database stops the start with a clear
 * message and its own exit code (the file untouched); a full disk (a small tmpfs as the data folder) gets
 * 503 STORAGE_FULL, degraded health, aggregated logs and events, recovers once space is freed, and stops
 * cleanly while full.
 */
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { databasePath } from './database/open'
import { backupDatabase } from './database/backup'
import {
  adminToken,
  postBatch,
  runStationProcessToExit,
  startStationProcess,
  type StationProcess,
} from './devices/station-process'
import { createTestStation } from './server/test-helper'

const dirs: string[] = []
const procs: StationProcess[] = []
const mounts: string[] = []
afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL')
  for (const m of mounts) execFileSync('umount', ['-l', m])
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'station-faults-'))
  dirs.push(d)
  return d
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('a database the station must not use', () => {
  it("refuses another program's database: message, exit code 11, file untouched", async () => {
    const dir = tempDir()
    const other = new Database(databasePath(dir))
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')")
    other.pragma('application_id = 42')
    other.close()
    const before = sha(databasePath(dir))
    const { code, output } = await runStationProcessToExit(dir)
    expect(code).toBe(11)
    expect(output).toMatch(/cannot use its database: .*not this station's database/)
    expect(sha(databasePath(dir))).toBe(before)
  }, 60_000)

  it('refuses a damaged database: exit code 10', async () => {
    const dir = tempDir()
    const st = await createTestStation({ STATION_DATA_DIR: dir })
    st.app.db.exec('CREATE TABLE filler (body TEXT)')
    const insert = st.app.db.prepare('INSERT INTO filler VALUES (?)')
    st.app.db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`row ${i} `.repeat(8))
    })()
    await st.stop()
    const fd = openSync(databasePath(dir), 'r+')
    for (let i = 0; i < 20; i++) writeSync(fd, randomBytes(4096), 0, 4096, (40 + i) * 4096)
    closeSync(fd)
    const { code, output } = await runStationProcessToExit(dir)
    expect(code).toBe(10)
    expect(output).toMatch(/cannot use its database: .*damaged/)
  }, 60_000)

  it('restores a backup with npm run headless -- --restore FILE', async () => {
    const dir = tempDir()
    const st = await createTestStation({ STATION_DATA_DIR: dir })
    st.app.db.exec("CREATE TABLE filler (body TEXT); INSERT INTO filler VALUES ('backed up')")
    const file = await backupDatabase(st.app.db, dir)
    st.app.db.exec("INSERT INTO filler VALUES ('later')")
    await st.stop()
    const { code, output } = await runStationProcessToExit(dir, {}, ['--restore', file])
    expect(code, output).toBe(0)
    expect(output).toMatch(/Restored .* the previous database is kept as/)
    const db = new Database(databasePath(dir), { readonly: true })
    expect(db.prepare('SELECT body FROM filler').all()).toEqual([{ body: 'backed up' }])
    db.close()
  }, 60_000)

  it('reports the storage state and its start-up checks on /api/health', async () => {
    const st = await createTestStation()
    try {
      const health = (await st.app.inject({ method: 'GET', url: '/api/health' })).json().data
      expect(health.status).toBe('ok')
      expect(health.storage).toMatchObject({ state: 'ok', refusedWrites: 0, uncleanStop: false })
      expect(health.storage.freeBytes).toBeGreaterThan(0)
    } finally {
      await st.close()
    }
  })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const batch = (n: number, from: number) =>
  Array.from({ length: 200 }, (_, i) => ({
    deviceId: 'full-1',
    sensor: 't',
    value: i,
    ts: from + n * 200 + i,
  }))

/** Fills the volume to the last byte; answers the filler's path. */
function fillDisk(dir: string, name: string): string {
  const path = join(dir, name)
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(256 * 1024, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch {
    // ENOSPC: full.
  }
  try {
    for (;;) writeSync(fd, chunk, 0, 4096)
  } catch {
    // The last pages too.
  }
  closeSync(fd)
  return path
}

describe('disk full', () => {
  it('answers 503 STORAGE_FULL, reports it, logs it once, recovers, and stops cleanly while full', async (ctx) => {
    const dir = tempDir()
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', dir], { stdio: 'pipe' })
      mounts.push(dir)
    } catch (err) {
      ctx.skip(
        `cannot mount a small tmpfs as the data folder (needs root): ${(err as Error).message.split('\n')[0]}`,
      )
      return
    }
    const st = await startStationProcess(dir)
    procs.push(st)
    const token = await adminToken(st.url)
    expect((await postBatch(st.url, batch(0, 1_000_000))).status).toBe(200)

    const filler = fillDisk(dir, 'filler')
    let full: Response | undefined
    for (let n = 1; n < 400 && !full; n++) {
      const res = await fetch(`${st.url}/api/v1/ingest/sensor-data`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-device-key': 'process-device-key-0123456789' },
        body: JSON.stringify({ readings: batch(n, 1_000_000) }),
      })
      if (res.status === 503) full = res
      else await res.arrayBuffer()
    }
    expect(full, 'a write was refused while the disk is full').toBeDefined()
    const body = (await full!.json()) as { code: string; message: string }
    expect(body.code).toBe('STORAGE_FULL')
    expect(body.message).toMatch(/disk is full/)
    expect(full!.headers.get('retry-after')).toBe('30')
    // More refused writes (at the very edge a small one may still fit): still one log line for the fault.
    let refusedMore = 0
    for (let n = 0; n < 30; n++)
      if ((await postBatch(st.url, batch(500 + n, 1_000_000))).status === 503) refusedMore++
    expect(refusedMore).toBeGreaterThanOrEqual(25)

    const health = (await (await fetch(`${st.url}/api/health`)).json()) as {
      data: { status: string; storage: { state: string; refusedWrites: number; message: string } }
    }
    expect(health.data.status).toBe('degraded')
    expect(health.data.storage.state).toBe('full')
    expect(health.data.storage.refusedWrites).toBeGreaterThanOrEqual(25)
    const out = st.output()
    expect(out).not.toMatch(/request failed/)
    expect(out).not.toMatch(/readings flush failed/)
    expect(out.match(/"msg":"The station's disk is full/g)?.length, out).toBe(1)

    // Space freed: writes are accepted again, health is ok, both events are recorded.
    unlinkSync(filler)
    let ok = false
    for (let n = 0; n < 100 && !ok; n++) {
      ok = (await postBatch(st.url, batch(1000 + n, 1_000_000))).status === 200
      if (!ok) await sleep(200)
    }
    expect(ok).toBe(true)
    // Recovered once a write committed and the volume has room again (free space is looked at every 2 s).
    let status = ''
    for (let i = 0; i < 50 && status !== 'ok'; i++) {
      status = ((await (await fetch(`${st.url}/api/health`)).json()) as { data: { status: string } }).data
        .status
      if (status !== 'ok') await sleep(200)
    }
    expect(status).toBe('ok')
    let types: string[] = []
    for (let i = 0; i < 50 && !types.includes('storage.recovered'); i++) {
      const events = (await (
        await fetch(`${st.url}/api/events?limit=50`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { data: { events: { type: string }[] } }
      types = events.data.events.map((e) => e.type)
      if (!types.includes('storage.recovered')) await sleep(100)
    }
    expect(types).toContain('storage.database_fault')
    expect(types).toContain('storage.recovered')

    // Full again, then stopped: the database closes and the runner exits 0.
    fillDisk(dir, 'filler2')
    let refused = false
    for (let n = 0; n < 400 && !refused; n++) {
      refused = (await postBatch(st.url, batch(2000 + n, 1_000_000))).status === 503
    }
    expect(refused).toBe(true)
    st.child.kill('SIGTERM')
    const exit = await st.exited
    expect(st.output()).not.toMatch(/shutdown failed|did not stop in time/)
    expect(exit.code, st.output()).toBe(0)
  }, 120_000)
})
