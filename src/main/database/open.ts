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

/** Opens the single writer connection: WAL, foreign keys, migrations applied. */
export function openWriter(opts: OpenOptions): Db {
  let db: Db
  if (opts.dataDir === undefined) {
    db = new Database(':memory:', { nativeBinding: opts.nativeBinding })
  } else {
    mkdirSync(opts.dataDir, { recursive: true })
    db = new Database(databasePath(opts.dataDir), { nativeBinding: opts.nativeBinding })
    db.pragma('journal_mode = WAL')
  }
  db.pragma(`synchronous = ${opts.synchronous}`)
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('temp_store = MEMORY')
  // Checkpoint often enough that the WAL stays small while readers run.
  db.pragma('wal_autocheckpoint = 2000')
  runMigrations(db)
  return db
}
