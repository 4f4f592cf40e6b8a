/**
 * The station settings form: a draft per setting (the value the next start will use), its checks before
 * sending, and the update it sends (only what changed; the default again removes the saved value).
 */
import type {
  StationSetting,
  StationSettingKey,
  StationSettings,
  StationSettingsUpdate,
} from '../../../../shared/contract'

export type SettingsDraft = Partial<Record<StationSettingKey, string>>
export type SettingsErrors = Partial<Record<StationSettingKey | 'deviceKey', string>>

/** What each setting does, in a guard station's words. */
export const SETTING_HELP: Record<StationSettingKey, string> = {
  port: 'Where browsers, devices and cameras reach the station (HTTP and WebSocket).',
  host: '0.0.0.0 serves every network of this computer; 127.0.0.1 this computer only.',
  dataDir: 'Where the database lives. The station moves nothing: copy the data there first.',
  cacheMaxEntries: 'How many API answers the response cache keeps.',
  cacheTtlMs: 'How long a cached answer is served before it is asked again.',
  devicesFlushMs: 'Longest wait before device updates are committed together.',
  readingsFlushMs: 'Longest wait before sensor readings are committed together.',
  buzzersFlushMs: 'Longest wait before buzzer requests are committed together.',
  readPoolSize: 'Worker threads serving history and statistics reads.',
}

/** The value the station will start with next time (environment over saved over default). */
export function nextValue(s: StationSetting): number | string {
  return s.source === 'environment' ? s.value : (s.saved ?? s.default)
}

export function draftOf(view: StationSettings): SettingsDraft {
  return Object.fromEntries(view.settings.map((s) => [s.key, String(nextValue(s))]))
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6 = /^[0-9A-Fa-f:.]+$/
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/

function isIpAddress(v: string): boolean {
  return IPV4.test(v) || (v.includes(':') && IPV6.test(v))
}

/** Why a draft value cannot be saved, or undefined when it can (the station checks again). */
export function settingError(s: StationSetting, text: string): string | undefined {
  const v = text.trim()
  if (typeof s.default === 'number') {
    const min = s.min ?? 0
    const max = s.max ?? Number.MAX_SAFE_INTEGER
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) return `A whole number from ${min} to ${max}.`
    return undefined
  }
  if (!v) return 'Required.'
  if (s.key === 'host' && v !== 'localhost' && !isIpAddress(v))
    return 'An IP address of this computer, e.g. 0.0.0.0 or 127.0.0.1.'
  if (s.key === 'dataDir' && !ABSOLUTE.test(v))
    return 'A full path, e.g. /var/lib/guard-station or D:\\Station.'
  return undefined
}

export function validateSettings(view: StationSettings, draft: SettingsDraft): SettingsErrors {
  const errors: SettingsErrors = {}
  for (const s of view.settings) {
    const text = draft[s.key]
    if (!s.editable || text === undefined) continue
    const problem = settingError(s, text)
    if (problem) errors[s.key] = problem
  }
  return errors
}

/** The keys whose draft differs from what the next start would use; the default again clears the saved value. */
export function toSettingsUpdate(view: StationSettings, draft: SettingsDraft): StationSettingsUpdate {
  const update: Record<string, number | string | null> = {}
  for (const s of view.settings) {
    const text = draft[s.key]
    if (!s.editable || text === undefined) continue
    const value = typeof s.default === 'number' ? Number(text.trim()) : text.trim()
    if (value === nextValue(s)) continue
    update[s.key] = value === s.default && s.saved !== null ? null : value
  }
  return update as StationSettingsUpdate
}

/** The site key devices present: what the station accepts (16 to 256 URL-safe characters). */
export function deviceKeyError(key: string): string | undefined {
  if (key.length < 16) return 'At least 16 characters.'
  if (key.length > 256) return 'At most 256 characters.'
  if (!/^[A-Za-z0-9._~-]+$/.test(key)) return 'Letters, digits and . _ ~ - only.'
  return undefined
}

/** A fresh random site key (32 URL-safe characters). */
export function generateDeviceKey(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  return Array.from(random(new Uint8Array(32)), (b) => alphabet[b & 63]).join('')
}
