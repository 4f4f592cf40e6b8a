/** Online backups and restore, on real SQLite files. */
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backupDatabase, backupsDir, restoreDatabase } from './backup'
import { openWriter } from './open'
import { APPLICATION_ID } from './storage-check'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'station-backup-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('backups', () => {
  it('copies the live database (WAL included) and keeps the newest N', async () => {
    const dir = tempDir()
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    db.exec("CREATE TABLE filler (body TEXT); INSERT INTO filler VALUES ('in the WAL')")
    const files: string[] = []
    for (let i = 0; i < 4; i++)
      files.push(await backupDatabase(db, dir, 2, new Date(Date.UTC(2026, 0, 1, 0, 0, i))))
    db.close()
    expect(readdirSync(backupsDir(dir)).sort()).toEqual([
      'station-20260101T000002Z.db',
      'station-20260101T000003Z.db',
    ])
    const copy = new Database(files[3]!, { readonly: true })
    expect(copy.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(copy.prepare('SELECT body FROM filler').get()).toEqual({ body: 'in the WAL' })
    copy.close()
  })

  it('restores a backup, moving the current database aside; refuses a foreign file', async () => {
    const dir = tempDir()
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    db.exec("CREATE TABLE filler (body TEXT); INSERT INTO filler VALUES ('backed up')")
    const backup = await backupDatabase(db, dir)
    db.exec("INSERT INTO filler VALUES ('after the backup')")
    db.close()
    const aside = restoreDatabase(dir, backup)
    expect(aside && existsSync(aside)).toBe(true)
    const restored = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    expect(restored.prepare('SELECT body FROM filler').all()).toEqual([{ body: 'backed up' }])
    restored.close()

    const foreign = join(tempDir(), 'other.db')
    const other = new Database(foreign)
    other.exec('CREATE TABLE notes (body TEXT)')
    other.close()
    expect(() => restoreDatabase(dir, foreign)).toThrow(/not this station's database/)
  })
})
