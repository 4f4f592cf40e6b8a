import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { runMigrations } from './migrations'
import {
  checkIntegrity,
  identifyDatabase,
  integrityPlan,
  writeProbe,
  type StorageReport,
} from './storage-check'
import { asStorageFault } from './storage-fault'

export type Db = Database.Database

export interface OpenOptions {
  /** Folder holding station.db; undefined opens an in-memory database (USEDB=false). */
  dataDir: string | undefined
  synchronous: 'FULL' | 'NORMAL'
  /** Path of the better-sqlite3 native module to load (the desktop app's build for Electron's ABI). */
  nativeBinding?: string | undefined
  /** Told about every permission the station tightened on start (the folder or a database file was open to others). */
  onPermissionFixed?: ((what: string) => void) | undefined
  /** Told what the start-up checks found (./storage-check.ts). */
  onStorageReport?: ((report: StorageReport) => void) | undefined
}

export const DB_FILE = 'station.db'

/** The data folder holds the site key and camera passwords: only the station's own user may read it. */
export const DATA_DIR_MODE = 0o700
export const DB_FILE_MODE = 0o600

/**
 * Creates the data folder 0700 and the database file 0600 (SQLite gives its -wal and -shm files the
 * database file's mode), and tightens existing ones that others can read. Windows has no such modes:
 * there the per-user profile folder's ACL protects it.
 */
export function secureDataFolder(dataDir: string, onFixed: (what: string) => void = () => {}): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  if (process.platform === 'win32') return
  const tighten = (path: string, mode: number) => {
    if (!existsSync(path)) return
    const current = statSync(path).mode & 0o777
    if ((current & 0o077) === 0) return
    chmodSync(path, mode)
    onFixed(`${path} was ${current.toString(8).padStart(4, '0')}, now ${mode.toString(8).padStart(4, '0')}`)
  }
  tighten(dataDir, DATA_DIR_MODE)
  const db = databasePath(dataDir)
  if (!existsSync(db)) closeSync(openSync(db, 'wx', DB_FILE_MODE))
  for (const f of [db, `${db}-wal`, `${db}-shm`]) tighten(f, DB_FILE_MODE)
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DB_FILE)
}

/** How long a connection waits for another's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000

/** The pragmas every writing connection runs with (the main connection's and the writer thread's). */
export function configureWriter(db: Db, synchronous: OpenOptions['synchronous']): void {
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  db.pragma('temp_store = MEMORY')
  // Checkpoint often enough that the WAL stays small while readers run.
  db.pragma('wal_autocheckpoint = 2000')
}

/**
 * Opens the main connection: the file's identity checked before anything touches it, WAL, foreign keys,
 * quick_check (integrity_check after an unclean stop), migrations applied, then a write probe that marks
 * the file as the station's. A database that cannot be used throws a `StorageFault` (./storage-fault.ts).
 */
export function openWriter(opts: OpenOptions): Db {
  if (opts.dataDir === undefined) {
    const db = new Database(':memory:', { nativeBinding: opts.nativeBinding })
    configureWriter(db, opts.synchronous)
    runMigrations(db)
    writeProbe(db, undefined)
    return db
  }
  const dataDir = opts.dataDir
  const path = databasePath(dataDir)
  const { identity, uncleanStop } = identifyDatabase(path, opts.nativeBinding)
  let db: Db | undefined
  try {
    secureDataFolder(dataDir, opts.onPermissionFixed)
    db = new Database(path, { nativeBinding: opts.nativeBinding })
    db.pragma('journal_mode = WAL')
    configureWriter(db, opts.synchronous)
    const plan = integrityPlan(path, uncleanStop)
    const checks = identity === 'created' ? [] : checkIntegrity(db, path, plan.full)
    runMigrations(db)
    writeProbe(db, dataDir)
    opts.onStorageReport?.({
      identity,
      uncleanStop,
      checks,
      ...(plan.skipped ? { integritySkipped: plan.skipped } : {}),
    })
    return db
  } catch (err) {
    db?.close()
    throw asStorageFault(err, dataDir)
  }
}

/** Opens the writer thread's connection to an existing, migrated database file (WAL is already set). */
export function openWriterThreadConnection(opts: {
  dbPath: string
  synchronous: OpenOptions['synchronous']
  nativeBinding?: string | undefined
}): Db {
  const db = new Database(opts.dbPath, { fileMustExist: true, nativeBinding: opts.nativeBinding })
  db.pragma('journal_mode = WAL')
  configureWriter(db, opts.synchronous)
  return db
}

/** Opens a read worker's read-only connection to an existing, migrated database file. */
export function openReaderConnection(opts: { dbPath: string; nativeBinding?: string | undefined }): Db {
  const db = new Database(opts.dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: opts.nativeBinding,
  })
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  return db
}
