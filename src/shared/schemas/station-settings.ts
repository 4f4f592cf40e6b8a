/**
 * The station's own settings that admins edit (port, bind address, data folder, cache, queue intervals,
 * read pool size, sign-in idle timeout and longest sign-in, recordings quota and free-space reserve, device key): `GET`/`PUT /api/settings/station`. Saved values apply on the next start
 * (environment variables still win); the answer says which ones wait for a restart.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { SETTINGS, type SettingKey } from '../settings/catalog'
import { Nullable } from './common'

/** The catalog entries (`settings/catalog.ts`) admins may edit. */
export const STATION_SETTING_KEYS = [
  'port',
  'host',
  'dataDir',
  'cacheMaxEntries',
  'cacheTtlMs',
  'devicesFlushMs',
  'readingsFlushMs',
  'buzzersFlushMs',
  'readPoolSize',
  'sessionIdleMs',
  'sessionMaxMs',
  'recordingsQuotaBytes',
  'recordingsReservePercent',
] as const satisfies readonly SettingKey[]
export type StationSettingKey = (typeof STATION_SETTING_KEYS)[number]

export const SettingValue = Type.Union([Type.Integer(), Type.String()])

export const StationSetting = Type.Object(
  {
    key: Type.Union(STATION_SETTING_KEYS.map((k) => Type.Literal(k))),
    label: Type.String(),
    /** The value the station runs with now. */
    value: SettingValue,
    /** The value saved by an admin, or null when none is. */
    saved: Nullable(SettingValue),
    default: SettingValue,
    /** The environment variable that overrides this setting when set. */
    envVar: Type.String(),
    /** Where the next start takes the value from. */
    source: Type.Union([Type.Literal('environment'), Type.Literal('saved'), Type.Literal('default')]),
    /** False when an environment variable fixes it (change it there). */
    editable: Type.Boolean(),
    /** The next start will run with a different value than now. */
    restartRequired: Type.Boolean(),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
export type StationSetting = Static<typeof StationSetting>

export const StationSettings = Type.Object(
  {
    settings: Type.Array(StationSetting),
    deviceKey: Type.Object({
      source: Type.Union([Type.Literal('environment'), Type.Literal('station')]),
      editable: Type.Boolean(),
    }),
    /** Some saved change waits for a restart. */
    restartRequired: Type.Boolean(),
    /** Keys this request changed (PUT only). */
    changed: Type.Optional(Type.Array(Type.String())),
    /** Changes applied at once, without a restart (the device key). */
    appliedNow: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
)
export type StationSettings = Static<typeof StationSettings>

/**
 * `null` itself, checked first. The validator coerces types in place, one branch after another: with
 * `Nullable(schema)` a refused `0`, `''` or `false` is coerced to null by the second branch and silently
 * resets the setting; an `enum` is never coerced, and a first branch leaves nothing to coerce.
 */
const NullForDefault = Type.Unsafe<null>({ enum: [null], description: 'null: back to the default' })

/** A saved setting may be changed (checked by the catalog's own schema), or `null` to remove it. */
const change = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([NullForDefault, schema]))

/** A PUT body: only the keys to change, each checked by its catalog schema (the limits `config.ts` applies). */
export const StationSettingsUpdate = Type.Object(
  {
    port: change(SETTINGS.port.schema),
    host: change(SETTINGS.host.schema),
    dataDir: change(SETTINGS.dataDir.schema),
    cacheMaxEntries: change(SETTINGS.cacheMaxEntries.schema),
    cacheTtlMs: change(SETTINGS.cacheTtlMs.schema),
    devicesFlushMs: change(SETTINGS.devicesFlushMs.schema),
    readingsFlushMs: change(SETTINGS.readingsFlushMs.schema),
    buzzersFlushMs: change(SETTINGS.buzzersFlushMs.schema),
    readPoolSize: change(SETTINGS.readPoolSize.schema),
    sessionIdleMs: change(SETTINGS.sessionIdleMs.schema),
    sessionMaxMs: change(SETTINGS.sessionMaxMs.schema),
    recordingsQuotaBytes: change(SETTINGS.recordingsQuotaBytes.schema),
    recordingsReservePercent: change(SETTINGS.recordingsReservePercent.schema),
    /** A new site key, applied at once (devices using the old one are refused from then on). */
    deviceKey: Type.Optional(SETTINGS.deviceKey.schema),
  } satisfies Record<StationSettingKey | 'deviceKey', TSchema>,
  { additionalProperties: false },
)
export type StationSettingsUpdate = Static<typeof StationSettingsUpdate>
