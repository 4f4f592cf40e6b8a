/**
 * The station's own settings that admins edit (port, bind address, data folder, cache, queue intervals,
 * read pool size, device key): `GET`/`PUT /api/settings/station`. Saved values apply on the next start
 * (environment variables still win); the answer says which ones wait for a restart.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common'

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
] as const
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

const Int = (min: number, max: number) => Nullable(Type.Integer({ minimum: min, maximum: max }))

/** A PUT body: only the keys to change; `null` removes a saved value (back to the default). */
export const StationSettingsUpdate = Type.Object(
  {
    port: Type.Optional(Int(1, 65535)),
    host: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    dataDir: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 1024 }))),
    cacheMaxEntries: Type.Optional(Int(1, 100_000)),
    cacheTtlMs: Type.Optional(Int(1000, 86_400_000)),
    devicesFlushMs: Type.Optional(Int(1, 10_000)),
    readingsFlushMs: Type.Optional(Int(1, 10_000)),
    buzzersFlushMs: Type.Optional(Int(1, 10_000)),
    readPoolSize: Type.Optional(Int(1, 16)),
    /** A new site key, applied at once (devices using the old one are refused from then on). */
    deviceKey: Type.Optional(Type.String({ minLength: 16, maxLength: 256, pattern: '^[A-Za-z0-9._~-]+$' })),
  },
  { additionalProperties: false },
)
export type StationSettingsUpdate = Static<typeof StationSettingsUpdate>
