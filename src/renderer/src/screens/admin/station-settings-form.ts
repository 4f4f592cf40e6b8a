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
import { SETTINGS } from '../../../../shared/settings/catalog'
import { allowedText, parseSetting, rangeText, settingLabel } from '../../../../shared/settings/define'

export type SettingsDraft = Partial<Record<StationSettingKey, string>>
export type SettingsErrors = Partial<Record<StationSettingKey | 'deviceKey', string>>

/** A catalog line as a sentence on screen: capitalised, no Markdown backticks, a full stop. */
function sentence(text: string): string {
  const plain = text.replaceAll('`', '')
  return `${plain.charAt(0).toUpperCase()}${plain.slice(1)}.`
}

/** How the form shows a setting, all from its catalog entry (the schema the station checks it with). */
export function settingField(key: StationSettingKey) {
  const setting = SETTINGS[key]
  return {
    setting,
    label: settingLabel(setting),
    help: sentence(setting.schema.description),
    /** The allowed range of a number, with its unit, as a hint: `From 1 to 16 worker threads`. */
    range: setting.kind === 'integer' ? `From ${rangeText(setting)}` : undefined,
    numeric: setting.kind === 'integer',
  }
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

/** Why a draft value cannot be saved, or undefined when it can (the station checks again, with the same schema). */
export function settingError(s: StationSetting, text: string): string | undefined {
  const v = text.trim()
  const { setting } = settingField(s.key)
  if (setting.kind !== 'integer' && !v) return 'Required.'
  if (parseSetting(setting, v) === undefined) return sentence(allowedText(setting))
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
    const value = settingField(s.key).numeric ? Number(text.trim()) : text.trim()
    if (value === nextValue(s)) continue
    update[s.key] = value === s.default && s.saved !== null ? null : value
  }
  return update as StationSettingsUpdate
}

const DEVICE_KEY = SETTINGS.deviceKey

/** The site key devices present: what the station accepts (the catalog's device key schema). */
export function deviceKeyError(key: string): string | undefined {
  const { minLength = 1, maxLength, pattern = '' } = DEVICE_KEY.schema
  if (key.length < minLength) return `At least ${minLength} characters.`
  if (key.length > maxLength) return `At most ${maxLength} characters.`
  if (!new RegExp(pattern).test(key)) return sentence(`${DEVICE_KEY.patternText} only`)
  return undefined
}

/** A fresh random site key (32 URL-safe characters). */
export function generateDeviceKey(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  return Array.from(random(new Uint8Array(32)), (b) => alphabet[b & 63]).join('')
}
