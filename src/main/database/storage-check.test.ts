/**
 * The start-up checks on real SQLite files: a new file gets the station's id, a station file from before
 * the id is adopted, a foreign, damaged or read-only file is refused (a foreign one untouched).
 */
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { databasePath, openWriter } from './open'
import { runMigrations } from './migrations'
import { APPLICATION_ID, type StorageReport } from './storage-check'
import { StorageFault } from './storage-fault'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'station-storage-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const open = (dataDir: string, onStorageReport?: (r: StorageReport) => void) =>
  openWriter({ dataDir, synchronous: 'NORMAL', onStorageReport })
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const refusal = (fn: () => unknown): StorageFault => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(StorageFault)
    return err as StorageFault
  }
  throw new Error('expected a StorageFault')
}

/** A station database with some data, closed cleanly. */
function stationFile(dataDir: string, rows = 4000): void {
  const db = open(dataDir)
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)')
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)')
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row ${i} `.repeat(8))
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}

describe('database identity', () => {
  it('marks a new database with the station application id', () => {
    const dir = tempDir()
    const reports: StorageReport[] = []
    open(dir, (r) => reports.push(r)).close()
    expect(reports[0]?.identity).toBe('created')
    const db = new Database(databasePath(dir), { fileMustExist: true })
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    db.close()
    const again: StorageReport[] = []
    open(dir, (r) => again.push(r)).close()
    expect(again[0]).toMatchObject({ identity: 'known', uncleanStop: false, checks: ['quick_check'] })
  })

  it('adopts a station database created before the id (application_id 0, our schema)', () => {
    const dir = tempDir()
    const legacy = new Database(databasePath(dir))
    legacy.pragma('journal_mode = WAL')
    runMigrations(legacy)
    legacy.close()
    const reports: StorageReport[] = []
    open(dir, (r) => reports.push(r)).close()
    expect(reports[0]?.identity).toBe('adopted')
    const db = new Database(databasePath(dir), { fileMustExist: true })
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    db.close()
  })

  it("refuses another program's database untouched (another application id)", () => {
    const dir = tempDir()
    const other = new Database(databasePath(dir))
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')
    other.pragma('application_id = 1234')
    other.close()
    const before = sha(databasePath(dir))
    const fault = refusal(() => open(dir))
    expect(fault.kind).toBe('foreign')
    expect(fault.message).toMatch(/not this station's database.*application id is 0x4d2.*untouched/)
    expect(sha(databasePath(dir))).toBe(before)
  })

  it('refuses a non-empty database without our tables or id, untouched', () => {
    const dir = tempDir()
    const other = new Database(databasePath(dir))
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')
    other.pragma('user_version = 3')
    other.close()
    const before = sha(databasePath(dir))
    expect(refusal(() => open(dir)).kind).toBe('foreign')
    expect(sha(databasePath(dir))).toBe(before)
    expect(statSync(databasePath(dir)).size).toBeGreaterThan(0)
  })

  it('refuses a file that is not SQLite at all, untouched', () => {
    const dir = tempDir()
    const fd = openSync(databasePath(dir), 'w')
    writeSync(fd, randomBytes(8192))
    closeSync(fd)
    const before = sha(databasePath(dir))
    expect(refusal(() => open(dir)).kind).toBe('damaged')
    expect(sha(databasePath(dir))).toBe(before)
  })
})

describe('database integrity', () => {
  it('refuses a database with corrupted pages (quick_check)', () => {
    const dir = tempDir()
    stationFile(dir)
    const path = databasePath(dir)
    const pageSize = 4096
    const pages = Math.floor(statSync(path).size / pageSize)
    expect(pages).toBeGreaterThan(30)
    const fd = openSync(path, 'r+')
    for (let i = 0; i < 20; i++) writeSync(fd, randomBytes(pageSize), 0, pageSize, (5 + i) * pageSize)
    closeSync(fd)
    const fault = refusal(() => open(dir))
    expect(fault.kind).toBe('damaged')
    expect(fault.message).toMatch(/is damaged|not a SQLite database/)
    expect(fault.exitCode).toBe(10)
  })

  it('runs the full integrity_check after an unclean stop', () => {
    const dir = tempDir()
    stationFile(dir, 100)
    // An unclean stop leaves the WAL and its index behind: copy them while a connection holds them open.
    const live = open(dir)
    live.prepare("INSERT INTO filler (body) VALUES ('after')").run()
    const crashed = tempDir()
    for (const suffix of ['', '-wal', '-shm'])
      copyFileSync(databasePath(dir) + suffix, databasePath(crashed) + suffix)
    live.close()
    const reports: StorageReport[] = []
    const db = open(crashed, (r) => reports.push(r))
    expect(reports[0]).toMatchObject({ uncleanStop: true, checks: ['quick_check', 'integrity_check'] })
    // What the WAL held is there.
    expect(db.prepare("SELECT count(*) AS n FROM filler WHERE body = 'after'").get()).toEqual({ n: 1 })
    db.close()
  })
})

describe('read-only database', () => {
  it('is refused at start by the write probe (a read-only volume)', (ctx) => {
    const dir = tempDir()
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'pipe' })
    } catch (err) {
      ctx.skip(`cannot mount a tmpfs here (needs root): ${(err as Error).message.split('\n')[0]}`)
      return
    }
    try {
      stationFile(dir, 10)
      execFileSync('mount', ['-o', 'remount,ro', dir])
      const fault = refusal(() => open(dir))
      expect(fault.kind).toBe('read-only')
      expect(fault.message).toMatch(/read-only/)
      expect(fault.exitCode).toBe(12)
    } finally {
      execFileSync('umount', ['-l', dir])
    }
  })
})
