import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { databasePath, openWriter, secureDataFolder } from './open'

const mode = (p: string) => statSync(p).mode & 0o777
const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'station-perms-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it('creates the folder 0700 and station.db with its WAL files 0600', () => {
    const dir = join(tempDir(), 'data')
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')
    expect(mode(dir)).toBe(0o700)
    for (const f of ['', '-wal', '-shm']) expect(mode(`${databasePath(dir)}${f}`)).toBe(0o600)
    db.close()
  })

  it('tightens an existing world-readable folder and database on start, and says so', () => {
    const dir = tempDir()
    openWriter({ dataDir: dir, synchronous: 'NORMAL' }).close()
    chmodSync(dir, 0o755)
    chmodSync(databasePath(dir), 0o644)
    const fixed: string[] = []
    secureDataFolder(dir, (what) => fixed.push(what))
    expect(mode(dir)).toBe(0o700)
    expect(mode(databasePath(dir))).toBe(0o600)
    expect(fixed).toHaveLength(2)
    expect(fixed[1]).toContain('0644')
    // Nothing to fix the second time.
    secureDataFolder(dir, (what) => fixed.push(what))
    expect(fixed).toHaveLength(2)
  })
})
