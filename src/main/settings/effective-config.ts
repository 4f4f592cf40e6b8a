/**
 * The configuration a station starts with: environment variables, over the settings admins saved in
 * the station (`/api/settings/station`), over the defaults. Used by `npm run headless` and the desktop
 * app alike; the saved settings are read from the database before the station opens it.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { loadConfig, type StationConfig } from '../config'
import { databasePath } from '../database/open'
import { APPLICATION_ID } from '../database/storage-check'
import { copyDatabaseIfMoved, readDataFolder } from './data-folder'
import { SettingsRepository } from './settings-repository'
import { SETTINGS_PREFIX, envOverrides, pickSaved, savedToEnv, type SavedSettings } from './station-settings'

export interface EffectiveConfigOptions {
  /** The data folder when STATION_DATA_DIR is unset (the desktop app passes its per-user folder). */
  defaultDataDir?: string
  /** The better-sqlite3 native module to load (the desktop app's build for Electron). */
  nativeBinding?: string
}

export interface EffectiveConfig {
  config: StationConfig
  /** Saved values that could not be used, and data moves done (for the start-up log). */
  notes: string[]
}

const present = (env: NodeJS.ProcessEnv, name: string) => env[name] !== undefined && env[name] !== ''

function nonEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
}

/** The settings saved in a data folder's database (none when it has no database yet). */
export function readSavedSettings(dataDir: string, nativeBinding?: string): SavedSettings {
  const file = databasePath(dataDir)
  if (!existsSync(file)) return {}
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding })
    // Another program's file: nothing of ours in it (the station refuses it when it opens the database).
    const id = db.pragma('application_id', { simple: true }) as number
    if (id !== 0 && id !== APPLICATION_ID) return {}
    return pickSaved(new SettingsRepository(db).entries(SETTINGS_PREFIX))
  } catch {
    // A database from before the settings table, or one that cannot be read (the station's start-up checks
    // say why, database/storage-check.ts): nothing saved.
    return {}
  } finally {
    db?.close()
  }
}

export function loadEffectiveConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: EffectiveConfigOptions = {},
): EffectiveConfig {
  const notes: string[] = []
  const baseEnv =
    opts.defaultDataDir && !present(env, 'STATION_DATA_DIR')
      ? { ...env, STATION_DATA_DIR: opts.defaultDataDir }
      : env
  const base = loadConfig(baseEnv)
  const bootstrapDir = base.dataDir
  const origin = { envVars: envOverrides(env), bootstrapDir }
  const extras = { origin, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) }
  if (!base.useDb) return { config: { ...base, ...extras }, notes }

  // STATION_DATA_DIR wins over a folder chosen in the settings.
  const choice = present(env, 'STATION_DATA_DIR') ? undefined : readDataFolder(bootstrapDir)
  const dataDir = choice?.dataDir ?? bootstrapDir
  if (choice && copyDatabaseIfMoved(choice.from, dataDir)) {
    notes.push(`data moved: copied the database from ${choice.from} to ${dataDir} (the old copy is kept)`)
  }
  const saved = readSavedSettings(dataDir, opts.nativeBinding)
  const merged = {
    ...savedToEnv(saved, (m) => notes.push(m)),
    ...nonEmpty(baseEnv),
    STATION_DATA_DIR: dataDir,
  }
  return { config: { ...loadConfig(merged), ...extras }, notes }
}
