/**
 * The start-up checks of the station's database file, before anything writes to it:
 * - identity: `PRAGMA application_id` says a file is the station's. A new (empty) file gets the id; a file
 *   from before the id existed (id 0, our tables, a schema version) is adopted and gets it; anything else
 *   (another id, or someone else's tables) is refused untouched.
 * - integrity: `PRAGMA quick_check` on every start; the full `integrity_check` after an unclean stop (the
 *   WAL or its index was left behind) when the file is small enough to check in a few seconds.
 * - a write probe: the id is written in a transaction, so a read-only file or volume fails here, at start,
 *   not on the first device's reading.
 */
import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { StorageFault, storageFaultKind, storageFaultMessage } from './storage-fault'

type Db = Database.Database

/** "GSTA": the station's SQLite application id. */
export const APPLICATION_ID = 0x47535441

/** The full integrity check runs after an unclean stop when the file is at most this big (a few seconds). */
export const INTEGRITY_CHECK_MAX_BYTES = 256 * 1024 * 1024

/** Tables every station database has had since migration 001: how a file from before the id is recognized. */
const STATION_TABLES = ['devices', 'readings', 'sensors', 'users', 'sessions', 'settings', 'events']

export interface StorageReport {
  /** 'created': a new database; 'adopted': a station database from before the id, now marked; 'known'. */
  identity: 'created' | 'adopted' | 'known'
  /** The previous run did not close the database (its WAL or WAL index was still there). */
  uncleanStop: boolean
  checks: ('quick_check' | 'integrity_check')[]
  /** Why the full check was skipped after an unclean stop (the file is too big for a start). */
  integritySkipped?: string
}

/**
 * Looks at an existing file through a read-only connection (which writes nothing to a rollback-journal
 * file) and refuses one that is not the station's. Answers what the file is.
 */
export function identifyDatabase(
  path: string,
  nativeBinding?: string,
): { identity: StorageReport['identity']; uncleanStop: boolean } {
  const uncleanStop = existsSync(`${path}-wal`) || existsSync(`${path}-shm`)
  if (!existsSync(path) || statSync(path).size === 0) return { identity: 'created', uncleanStop: false }
  let db: Db | undefined
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding })
    const id = db.pragma('application_id', { simple: true }) as number
    if (id === APPLICATION_ID) return { identity: 'known', uncleanStop }
    const refuse = (why: string) =>
      new StorageFault(
        'foreign',
        `${path} is not this station's database (${why}); it was left untouched. ` +
          'Point STATION_DATA_DIR at another folder, or move the file away',
      )
    if (id !== 0) throw refuse(`its SQLite application id is 0x${(id >>> 0).toString(16)}`)
    const tables = new Set(
      (
        db
          .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
          .all() as {
          name: string
        }[]
      ).map((t) => t.name),
    )
    if (tables.size === 0) return { identity: 'created', uncleanStop }
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > 0 && STATION_TABLES.every((t) => tables.has(t))) return { identity: 'adopted', uncleanStop }
    throw refuse('it holds other tables and no station id')
  } catch (err) {
    if (err instanceof StorageFault) throw err
    const kind = storageFaultKind(err)
    if (kind === 'damaged') {
      throw new StorageFault(
        'damaged',
        `${path} is not a SQLite database or its header is damaged (${(err as Error).message}); it was left untouched`,
        { cause: err },
      )
    }
    if (kind) {
      throw new StorageFault(
        kind,
        `${storageFaultMessage(kind, dirname(path))} (${(err as Error).message})`,
        {
          cause: err,
        },
      )
    }
    throw err
  } finally {
    db?.close()
  }
}

/** Runs quick_check (and integrity_check when asked); throws a 'damaged' fault naming the first problems. */
export function checkIntegrity(db: Db, path: string, full: boolean): StorageReport['checks'] {
  const checks: StorageReport['checks'] = []
  const run = (pragma: 'quick_check' | 'integrity_check') => {
    let problems: string[]
    try {
      problems = (db.pragma(`${pragma}(20)`) as Record<string, string>[])
        .map((row) => Object.values(row)[0] ?? '')
        .filter((line) => line !== 'ok')
    } catch (err) {
      if (storageFaultKind(err) !== 'damaged') throw err
      problems = [(err as Error).message]
    }
    checks.push(pragma)
    if (problems.length > 0) {
      throw new StorageFault(
        'damaged',
        `${path} is damaged (PRAGMA ${pragma}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}). ` +
          'The station will not write into it: restore a backup (npm run headless -- --restore FILE)',
      )
    }
  }
  run('quick_check')
  if (full) run('integrity_check')
  return checks
}

/** Writes the application id in a transaction: marks the file as the station's and proves it is writable. */
export function writeProbe(db: Db, dataDir: string | undefined): void {
  try {
    db.transaction(() => db.pragma(`application_id = ${APPLICATION_ID}`)).immediate()
  } catch (err) {
    const kind = storageFaultKind(err)
    if (!kind) throw err
    throw new StorageFault(
      kind,
      `${storageFaultMessage(kind, dataDir)} (write probe: ${(err as Error).message})`,
      {
        cause: err,
      },
    )
  }
}

/** The integrity part of the start-up report for a file of this size. */
export function integrityPlan(path: string, uncleanStop: boolean): { full: boolean; skipped?: string } {
  if (!uncleanStop) return { full: false }
  const size = existsSync(path) ? statSync(path).size : 0
  if (size <= INTEGRITY_CHECK_MAX_BYTES) return { full: true }
  return {
    full: false,
    skipped: `the file is ${Math.round(size / 1048576)} MiB; run npm run headless -- --check-database for the full check`,
  }
}
