import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { runMigrations } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Folder holding station.db; undefined opens an in-memory database (USEDB=false). */
  dataDir: string | undefined
  synchronous: 'FULL' | 'NORMAL'
  /** Path of the better-sqlite3 native module to load (the desktop app's build for Electron's ABI). */
  nativeBinding?: string | undefined
}

export const DB_FILE = 'station.db'

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

/** Opens the main connection: WAL, foreign keys, migrations applied. */
export function openWriter(opts: OpenOptions): Db {
  let db: Db
  if (opts.dataDir === undefined) {
    db = new Database(':memory:', { nativeBinding: opts.nativeBinding })
  } else {
    mkdirSync(opts.dataDir, { recursive: true })
    db = new Database(databasePath(opts.dataDir), { nativeBinding: opts.nativeBinding })
    db.pragma('journal_mode = WAL')
  }
  configureWriter(db, opts.synchronous)
  runMigrations(db)
  return db
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
