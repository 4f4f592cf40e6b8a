import { describe, expect, it } from 'vitest'
import type { StationSetting, StationSettings } from '../../../../shared/contract'
import { STATION_SETTING_KEYS, StationSettingsUpdate } from '../../../../shared/schemas/station-settings'
import { SETTINGS } from '../../../../shared/settings/catalog'
import {
  deviceKeyError,
  draftOf,
  generateDeviceKey,
  settingError,
  settingField,
  toSettingsUpdate,
  validateSettings,
} from './station-settings-form'

const setting = (over: Partial<StationSetting> & Pick<StationSetting, 'key'>): StationSetting => ({
  label: over.key,
  value: 100,
  saved: null,
  default: 100,
  envVar: `STATION_${over.key.toUpperCase()}`,
  source: 'default',
  editable: true,
  restartRequired: false,
  min: 1,
  max: 1000,
  ...over,
})

const view: StationSettings = {
  settings: [
    setting({ key: 'port', value: 9000, default: 8787, source: 'environment', editable: false, max: 65535 }),
    setting({ key: 'host', value: '0.0.0.0', default: '0.0.0.0', min: undefined, max: undefined }),
    setting({ key: 'dataDir', value: '/data', default: '/data', min: undefined, max: undefined }),
    setting({
      key: 'cacheTtlMs',
      value: 5000,
      saved: 7000,
      default: 5000,
      source: 'saved',
      restartRequired: true,
      max: 86_400_000,
    }),
    setting({ key: 'readPoolSize', value: 2, default: 2, max: 16 }),
  ],
  deviceKey: { source: 'station', editable: true },
  restartRequired: true,
}

describe('station settings form', () => {
  it('starts from what the next start will use: saved, else default; the environment for fixed ones', () => {
    expect(draftOf(view)).toEqual({
      port: '9000',
      host: '0.0.0.0',
      dataDir: '/data',
      cacheTtlMs: '7000',
      readPoolSize: '2',
    })
  })

  it('checks numbers against the catalog limits, addresses and paths before sending', () => {
    const draft = {
      ...draftOf(view),
      readPoolSize: '17',
      cacheTtlMs: '1.5',
      host: 'my-host',
      dataDir: 'data',
    }
    const errors = validateSettings(view, draft)
    expect(errors.readPoolSize).toBe('A whole number from 1 to 16 worker threads.')
    expect(errors.cacheTtlMs).toMatch(/whole number/)
    expect(errors.host).toMatch(/IP address/)
    expect(errors.dataDir).toMatch(/full path/)
    // A setting fixed by the environment is not checked (nor sent).
    expect(validateSettings(view, { ...draftOf(view), port: 'x' })).toEqual({})
    expect(validateSettings(view, { ...draftOf(view), host: '::', dataDir: 'D:\\Station' })).toEqual({})
  })

  it('sends only what changed; going back to the default removes the saved value', () => {
    expect(toSettingsUpdate(view, draftOf(view))).toEqual({})
    expect(toSettingsUpdate(view, { ...draftOf(view), readPoolSize: ' 4 ', port: '1' })).toEqual({
      readPoolSize: 4,
    })
    expect(toSettingsUpdate(view, { ...draftOf(view), cacheTtlMs: '5000' })).toEqual({ cacheTtlMs: null })
    expect(toSettingsUpdate(view, { ...draftOf(view), host: '127.0.0.1 ' })).toEqual({ host: '127.0.0.1' })
  })

  it('uses the very schemas the settings API validates with: same limits, labels and units', () => {
    for (const key of STATION_SETTING_KEYS) {
      const field = settingField(key)
      // The PUT body's property is null (back to the default) or the catalog schema itself.
      expect(StationSettingsUpdate.properties[key].anyOf[1]).toBe(SETTINGS[key].schema)
      expect(field.setting).toBe(SETTINGS[key])
      const s = setting({ key })
      if (field.setting.kind !== 'integer') continue
      const { minimum, maximum } = field.setting.schema
      expect(settingError(s, String(minimum))).toBeUndefined()
      expect(settingError(s, String(maximum))).toBeUndefined()
      expect(settingError(s, String(minimum - 1))).toMatch(`from ${minimum} to ${maximum}`)
      expect(settingError(s, String(maximum + 1))).toMatch(`from ${minimum} to ${maximum}`)
    }
    // The device key (never null) is the catalog schema, marked optional.
    const { minLength = 0, maxLength, pattern } = SETTINGS.deviceKey.schema
    expect(StationSettingsUpdate.properties.deviceKey).toMatchObject({ minLength, maxLength, pattern })
    expect(deviceKeyError('k'.repeat(minLength))).toBeUndefined()
    expect(deviceKeyError('k'.repeat(minLength - 1))).toBe(`At least ${minLength} characters.`)
    expect(deviceKeyError('k'.repeat(maxLength + 1))).toBe(`At most ${maxLength} characters.`)
    expect(settingField('cacheTtlMs')).toMatchObject({
      label: 'Response cache TTL (ms)',
      range: 'From 1000 to 86400000 ms (1 s to 24 h)',
      numeric: true,
    })
    expect(settingField('host').help).toBe(
      '0.0.0.0 serves every network of this computer, 127.0.0.1 this computer only.',
    )
  })

  it('checks a device key and generates valid ones', () => {
    expect(deviceKeyError('short')).toMatch(/16/)
    expect(deviceKeyError('has spaces in the key!')).toMatch(/Letters/)
    const key = generateDeviceKey()
    expect(key).toHaveLength(32)
    expect(deviceKeyError(key)).toBeUndefined()
    expect(generateDeviceKey()).not.toBe(key)
  })
})
