/**
 * The station settings admins may change: for each, the environment variable that overrides it, how a
 * value is checked, and where the running value sits in the config. Saved values are handed to
 * `loadConfig` as if they were environment variables (under the real ones), so one parser checks both.
 */
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { isAbsolute } from 'node:path'
import { loadConfig, type StationConfig } from '../config'
import { STATION_SETTING_KEYS, type StationSettingKey } from '../../shared/schemas/station-settings'

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

interface SettingDef {
  label: string
  envVar: string
  kind: 'int' | 'host' | 'path'
  min?: number
  max?: number
  /** The value in a loaded config. */
  read(config: StationConfig): SettingValue
}

export const SETTING_DEFS: Record<StationSettingKey, SettingDef> = {
  port: { label: 'Port', envVar: 'STATION_PORT', kind: 'int', min: 1, max: 65535, read: (c) => c.port },
  host: { label: 'Bind address', envVar: 'STATION_HOST', kind: 'host', read: (c) => c.host },
  dataDir: { label: 'Data folder', envVar: 'STATION_DATA_DIR', kind: 'path', read: (c) => c.dataDir },
  cacheMaxEntries: {
    label: 'Response cache size (entries)',
    envVar: 'STATION_CACHE_MAX',
    kind: 'int',
    min: 1,
    max: 100_000,
    read: (c) => c.cache.maxEntries,
  },
  cacheTtlMs: {
    label: 'Response cache TTL (ms)',
    envVar: 'STATION_CACHE_TTL_MS',
    kind: 'int',
    min: 1000,
    max: 86_400_000,
    read: (c) => c.cache.defaultTtlMs,
  },
  devicesFlushMs: {
    label: 'Device updates: longest wait before commit (ms)',
    envVar: 'STATION_DEVICE_FLUSH_MS',
    kind: 'int',
    min: 1,
    max: 10_000,
    read: (c) => c.queues.devices.maxWaitMs,
  },
  readingsFlushMs: {
    label: 'Sensor readings: longest wait before commit (ms)',
    envVar: 'STATION_READING_FLUSH_MS',
    kind: 'int',
    min: 1,
    max: 10_000,
    read: (c) => c.queues.readings.maxWaitMs,
  },
  buzzersFlushMs: {
    label: 'Buzzer requests: longest wait before commit (ms)',
    envVar: 'STATION_BUZZER_FLUSH_MS',
    kind: 'int',
    min: 1,
    max: 10_000,
    read: (c) => c.queues.buzzers.maxWaitMs,
  },
  readPoolSize: {
    label: 'Read pool size (worker threads)',
    envVar: 'STATION_READ_POOL_SIZE',
    kind: 'int',
    min: 1,
    max: 16,
    read: (c) => c.readPoolSize,
  },
}

/** The environment variable of the device key (kept by the AuthService, applied at once). */
export const DEVICE_KEY_ENV = 'STATION_DEVICE_KEY'

/** Environment variables that fix a setting, among those set in `env` (empty counts as unset). */
export function envOverrides(env: NodeJS.ProcessEnv): string[] {
  const names = [...STATION_SETTING_KEYS.map((k) => SETTING_DEFS[k].envVar), DEVICE_KEY_ENV]
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
  const def = SETTING_DEFS[key]
  if (def.kind === 'int') {
    const ok = typeof value === 'number' && Number.isInteger(value)
    if (!ok || value < (def.min ?? 0) || value > (def.max ?? Number.MAX_SAFE_INTEGER)) {
      return `${def.label} must be a whole number from ${def.min} to ${def.max}`
    }
    return undefined
  }
  if (typeof value !== 'string' || value.trim() !== value || value === '') {
    return `${def.label} must be a non-empty text without surrounding spaces`
  }
  if (def.kind === 'host') {
    if (value !== 'localhost' && isIP(value) === 0) return `${def.label} must be an IP address`
    if (!bindableAddresses().includes(value)) {
      return `${def.label} ${value} is not an address of this computer (use 0.0.0.0 for every network)`
    }
    return undefined
  }
  if (!isAbsolute(value)) return `${def.label} must be an absolute path`
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
    else env[SETTING_DEFS[key].envVar] = String(value)
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
  return Object.fromEntries(STATION_SETTING_KEYS.map((k) => [k, SETTING_DEFS[k].read(config)])) as Record<
    StationSettingKey,
    SettingValue
  >
}
