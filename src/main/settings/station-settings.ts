/**
 * The station settings admins may change. Each is an entry of the settings catalog (its variable,
 * schema, label); here: how a value is checked beyond its schema (a bind address of this computer, an
 * absolute folder) and where the running value sits in the config. Saved values are handed to
 * `loadConfig` as if they were environment variables (under the real ones), so one parser checks both.
 */
import { Value } from '@sinclair/typebox/value'
import type { FastifySchemaValidationError } from 'fastify'
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { isAbsolute } from 'node:path'
import { loadConfig, type StationConfig } from '../config'
import { STATION_SETTING_KEYS, type StationSettingKey } from '../../shared/schemas/station-settings'
import { SETTINGS } from '../../shared/settings/catalog'
import { allowedText, settingLabel } from '../../shared/settings/define'

export type SettingValue = number | string
export type SavedSettings = Partial<Record<StationSettingKey, SettingValue>>

/** Saved settings are rows `station.<key>` of the settings table (the data folder excepted: see data-folder.ts). */
export const SETTINGS_PREFIX = 'station.'

/** The saved settings among the rows read with SETTINGS_PREFIX (unknown keys and odd values left out). */
export function pickSaved(rows: Record<string, unknown>): SavedSettings {
  const saved: SavedSettings = {}
  for (const key of STATION_SETTING_KEYS) {
    const v = rows[key]
    if (typeof v === 'number' || typeof v === 'string') saved[key] = v
  }
  return saved
}

/** Where a setting's running value sits in a loaded config; its schema, label and variable are in the catalog. */
export const SETTING_READS: Record<StationSettingKey, (config: StationConfig) => SettingValue> = {
  port: (c) => c.port,
  host: (c) => c.host,
  dataDir: (c) => c.dataDir,
  cacheMaxEntries: (c) => c.cache.maxEntries,
  cacheTtlMs: (c) => c.cache.defaultTtlMs,
  devicesFlushMs: (c) => c.queues.devices.maxWaitMs,
  readingsFlushMs: (c) => c.queues.readings.maxWaitMs,
  buzzersFlushMs: (c) => c.queues.buzzers.maxWaitMs,
  readPoolSize: (c) => c.readPoolSize,
  sessionIdleMs: (c) => c.sessionIdleMs,
  sessionMaxMs: (c) => c.sessionMaxMs,
  recordingsQuotaBytes: (c) => c.recordings.quotaBytes ?? 0,
  recordingsReservePercent: (c) => c.recordings.reservePercent,
}

/** The environment variable of the device key (kept by the AuthService, applied at once). */
export const DEVICE_KEY_ENV = SETTINGS.deviceKey.env

/** Environment variables that fix a setting, among those set in `env` (empty counts as unset). */
export function envOverrides(env: NodeJS.ProcessEnv): string[] {
  const names = [...STATION_SETTING_KEYS.map((k) => SETTINGS[k].env), DEVICE_KEY_ENV]
  return names.filter((n) => env[n] !== undefined && env[n] !== '')
}

/** Addresses the station may bind: any interface, loopback, or an address of this machine. */
export function bindableAddresses(): string[] {
  const own = Object.values(networkInterfaces())
    .flat()
    .map((i) => i?.address)
    .filter((a): a is string => typeof a === 'string')
  return [...new Set(['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost', ...own])]
}

/** Why a value cannot be saved for a setting, or undefined when it can. */
export function settingProblem(key: StationSettingKey, value: unknown): string | undefined {
  const setting = SETTINGS[key]
  const label = settingLabel(setting)
  if (!Value.Check(setting.schema, value)) return `${label} must be ${allowedText(setting)}`
  // 0 is how tests ask for any free port: saved, devices and browsers could no longer find the station.
  if (key === 'port' && value === 0) return `${label} 0 (any free port) cannot be saved: choose a port`
  if (setting.kind === 'integer') return undefined
  if (typeof value !== 'string' || value.trim() !== value) {
    return `${label} must be a non-empty text without surrounding spaces`
  }
  if (key === 'host') {
    if (value !== 'localhost' && isIP(value) === 0) return `${label} must be an IP address`
    if (!bindableAddresses().includes(value)) {
      return `${label} ${value} is not an address of this computer (use 0.0.0.0 for every network)`
    }
    return undefined
  }
  if (!isAbsolute(value)) return `${label} must be an absolute path`
  return undefined
}

/** Saved values as environment variables for `loadConfig`; values that no longer pass are left out. */
export function savedToEnv(saved: SavedSettings, warn: (msg: string) => void = () => {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of STATION_SETTING_KEYS) {
    const value = saved[key]
    if (value === undefined) continue
    const problem = key === 'host' ? hostShapeProblem(value) : settingProblem(key, value)
    if (problem) warn(`saved setting ${key} ignored: ${problem}`)
    else env[SETTINGS[key].env] = String(value)
  }
  return env
}

/** At start a saved bind address is only checked for shape: interfaces may come up after the station. */
function hostShapeProblem(value: SettingValue): string | undefined {
  return typeof value === 'string' && (value === 'localhost' || isIP(value) !== 0)
    ? undefined
    : 'not an IP address'
}

/** The defaults of every setting, given the folder the data lives in by default. */
export function settingDefaults(bootstrapDir: string): Record<StationSettingKey, SettingValue> {
  const config = loadConfig({ STATION_DATA_DIR: bootstrapDir })
  return Object.fromEntries(STATION_SETTING_KEYS.map((k) => [k, SETTING_READS[k](config)])) as Record<
    StationSettingKey,
    SettingValue
  >
}

const isSettingKey = (k: string): k is StationSettingKey | 'deviceKey' =>
  k === 'deviceKey' || (STATION_SETTING_KEYS as readonly string[]).includes(k)

/**
 * The message of a refused `PUT /api/settings/station` body (Fastify's `schemaErrorFormatter`): the
 * setting, what its catalog entry allows, as the environment parser says it.
 */
export function settingsBodyError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0]
  const key = first?.instancePath.split('/')[1] ?? ''
  if (isSettingKey(key)) {
    const setting = SETTINGS[key]
    const orNull = key === 'deviceKey' ? '' : ', or null for the default'
    return new Error(`${setting.schema.title} (${key}) must be ${allowedText(setting)}${orNull}`)
  }
  const extra = first?.params.additionalProperty
  if (typeof extra === 'string') return new Error(`${extra} is not a station setting`)
  return new Error(errors.map((e) => `${dataVar}${e.instancePath} ${e.message ?? ''}`).join(', '))
}
