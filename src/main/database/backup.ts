/**
 * Online backups with SQLite's backup API (better-sqlite3 `db.backup()`: page by page, while the station
 * runs, a consistent snapshot) into `<dataDir>/backups/station-<UTC time>.db`, the newest `keep` kept;
 * and the restore behind `npm run headless -- --restore FILE` (docs/storage.md).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { Db } from './open'
import { databasePath } from './open'
import { checkIntegrity, identifyDatabase } from './storage-check'

/** A backup a day, the last 7 kept. */
export const BACKUP_INTERVAL_MS = 24 * 3_600_000
export const BACKUPS_KEPT = 7
const NAME = /^station-\d{8}T\d{6}Z\.db$/

export function backupsDir(dataDir: string): string {
  return join(dataDir, 'backups')
}

/** Writes one backup and removes the oldest beyond `keep`; answers the new file's path. */
export async function backupDatabase(
  db: Db,
  dataDir: string,
  keep = BACKUPS_KEPT,
  now = new Date(),
): Promise<string> {
  const dir = backupsDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const file = join(dir, `station-${stamp}.db`)
  const partial = `${file}.partial`
  try {
    await db.backup(partial)
    renameSync(partial, file)
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  }
  const all = readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort()
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(join(dir, old), { force: true })
  return file
}

/**
 * Replaces the data folder's database with a backup, the station stopped: the backup must be a station
 * database that passes quick_check; the current file (and its WAL) is moved aside, not deleted.
 * Answers where the previous database went.
 */
export function restoreDatabase(dataDir: string, backup: string, now = new Date()): string | undefined {
  const source = resolve(backup)
  if (!existsSync(source)) throw new Error(`${source} does not exist`)
  identifyDatabase(source)
  const check = new Database(source, { readonly: true, fileMustExist: true })
  try {
    checkIntegrity(check, source, true)
  } finally {
    check.close()
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const target = databasePath(dataDir)
  let aside: string | undefined
  if (existsSync(target)) {
    aside = `${target}.before-restore-${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`
    renameSync(target, aside)
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(target + suffix)) renameSync(target + suffix, aside + suffix)
  }
  copyFileSync(source, target)
  return aside
}
