/**
 * Reads and saves the station settings for `/api/settings/station`: what runs now, what is saved, what
 * the next start will use (environment over saved over default), and which changes wait for a restart.
 * Saving checks every value first and writes them all in one transaction, or nothing.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs'
import type { StationConfig } from '../config'
import { errors } from '../server/errors'
import {
  STATION_SETTING_KEYS,
  type StationSetting,
  type StationSettings,
  type StationSettingsUpdate,
} from '../../shared/schemas/station-settings'
import { readDataFolder, writeDataFolder } from './data-folder'
import type { SettingsRepository } from './settings-repository'
import { SETTINGS } from '../../shared/settings/catalog'
import { settingLabel } from '../../shared/settings/define'
import {
  DEVICE_KEY_ENV,
  SETTINGS_PREFIX,
  SETTING_READS,
  envOverrides,
  pickSaved,
  settingDefaults,
  settingProblem,
  type SavedSettings,
} from './station-settings'

export interface StationSettingsDeps {
  repo: SettingsRepository
  config: StationConfig
  /** Sets the site key at once (the AuthService). */
  setDeviceKey(key: string): void
}

export class StationSettingsService {
  private readonly envVars: readonly string[]
  private readonly bootstrapDir: string

  constructor(private readonly deps: StationSettingsDeps) {
    this.envVars = deps.config.origin?.envVars ?? envOverrides(process.env)
    this.bootstrapDir = deps.config.origin?.bootstrapDir ?? deps.config.dataDir
  }

  private saved(): SavedSettings {
    const saved = pickSaved(this.deps.repo.entries(SETTINGS_PREFIX))
    const folder = readDataFolder(this.bootstrapDir)
    if (folder) saved.dataDir = folder.dataDir
    return saved
  }

  private fixedByEnv(envVar: string): boolean {
    return this.envVars.includes(envVar)
  }

  view(): StationSettings {
    const saved = this.saved()
    const defaults = settingDefaults(this.bootstrapDir)
    const settings = STATION_SETTING_KEYS.map((key): StationSetting => {
      const setting = SETTINGS[key]
      const value = SETTING_READS[key](this.deps.config)
      const env = this.fixedByEnv(setting.env)
      const savedValue = saved[key]
      const next = env ? value : (savedValue ?? defaults[key])
      return {
        key,
        label: settingLabel(setting),
        value,
        saved: savedValue ?? null,
        default: defaults[key],
        envVar: setting.env,
        source: env ? 'environment' : savedValue !== undefined ? 'saved' : 'default',
        editable: !env && this.deps.config.useDb,
        restartRequired: next !== value,
        ...(setting.kind === 'integer' ? { min: setting.schema.minimum, max: setting.schema.maximum } : {}),
      }
    })
    const keyFromEnv = this.fixedByEnv(DEVICE_KEY_ENV)
    return {
      settings,
      deviceKey: { source: keyFromEnv ? 'environment' : 'station', editable: !keyFromEnv },
      restartRequired: settings.some((s) => s.restartRequired),
    }
  }

  /** Checks every change, then saves them all; answers the new view with what changed. */
  update(body: StationSettingsUpdate): StationSettings {
    if (!this.deps.config.useDb) {
      throw errors.conflict('Settings need the database: this station runs with USEDB=false')
    }
    const before = this.saved()
    const changes: [keyof SavedSettings, number | string | null][] = []
    for (const key of STATION_SETTING_KEYS) {
      const value = body[key]
      if (value === undefined) continue
      const setting = SETTINGS[key]
      if (this.fixedByEnv(setting.env)) {
        throw errors.conflict(
          `${settingLabel(setting)} is set by ${setting.env}: change it there and restart`,
        )
      }
      if (value !== null) {
        const problem =
          settingProblem(key, value) ?? (key === 'dataDir' ? folderProblem(String(value)) : undefined)
        if (problem) throw errors.badRequest(problem)
      }
      if ((before[key] ?? null) !== value) changes.push([key, value])
    }
    if (body.deviceKey !== undefined && this.fixedByEnv(DEVICE_KEY_ENV)) {
      throw errors.conflict(`The device key is set by ${DEVICE_KEY_ENV}: change it there and restart`)
    }

    const { repo, config } = this.deps
    repo.transaction(() => {
      for (const [key, value] of changes) {
        if (key === 'dataDir') continue
        if (value === null) repo.delete(`${SETTINGS_PREFIX}${key}`)
        else repo.set(`${SETTINGS_PREFIX}${key}`, value)
      }
    })
    const folder = changes.find(([key]) => key === 'dataDir')
    if (folder)
      writeDataFolder(this.bootstrapDir, folder[1] === null ? null : String(folder[1]), config.dataDir)
    const appliedNow: string[] = []
    if (body.deviceKey !== undefined) {
      this.deps.setDeviceKey(body.deviceKey)
      appliedNow.push('deviceKey')
    }
    return { ...this.view(), changed: [...changes.map(([key]) => key), ...appliedNow], appliedNow }
  }
}

/** A data folder must be a folder the station can create and write. */
function folderProblem(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) return `Data folder ${dir} is not a folder`
    accessSync(dir, constants.W_OK)
    return undefined
  } catch (err) {
    return `Data folder ${dir} cannot be used: ${err instanceof Error ? err.message : String(err)}`
  }
}
