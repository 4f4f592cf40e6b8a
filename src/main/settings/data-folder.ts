/**
 * Where the data lives when an admin moved it. The database cannot record its own location, so the
 * choice is a small file in the default data folder (`data-folder.json`). On the next start the
 * station copies its database there if the new folder has none yet; the old copy stays as a backup.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DB_FILE } from '../database/open'

export const DATA_FOLDER_FILE = 'data-folder.json'

export interface DataFolderChoice {
  dataDir: string
  /** The folder the data was in when the admin chose the new one. */
  from: string
}

export function readDataFolder(bootstrapDir: string): DataFolderChoice | undefined {
  const file = join(bootstrapDir, DATA_FOLDER_FILE)
  if (!existsSync(file)) return undefined
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataFolderChoice>
    if (typeof v.dataDir !== 'string' || v.dataDir === '') return undefined
    return { dataDir: v.dataDir, from: typeof v.from === 'string' ? v.from : bootstrapDir }
  } catch {
    return undefined
  }
}

/** Records the chosen folder (atomically); choosing the default folder removes the record. */
export function writeDataFolder(bootstrapDir: string, dataDir: string | null, from: string): void {
  const file = join(bootstrapDir, DATA_FOLDER_FILE)
  if (dataDir === null || dataDir === bootstrapDir) {
    rmSync(file, { force: true })
    return
  }
  mkdirSync(bootstrapDir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify({ dataDir, from, savedAt: new Date().toISOString() }, null, 2))
  renameSync(tmp, file)
}

/**
 * Copies the database from the previous folder into a newly chosen one that has none. The station
 * closes with a checkpoint (the WAL is empty), but a WAL left by a crash is copied along.
 * Returns true when it copied.
 */
export function copyDatabaseIfMoved(from: string, to: string): boolean {
  if (from === to) return false
  const source = join(from, DB_FILE)
  const target = join(to, DB_FILE)
  if (existsSync(target) || !existsSync(source)) return false
  mkdirSync(to, { recursive: true })
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${target}-wal`)
  // The database file appears only once complete: an interrupted copy is redone on the next start.
  copyFileSync(source, `${target}.copying`)
  renameSync(`${target}.copying`, target)
  return true
}
