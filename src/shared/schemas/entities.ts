import { Type, type Static } from '@sinclair/typebox'
import {
  BUZZER_ACTIONS,
  BUZZER_PATTERNS,
  BUZZER_STATUSES,
  DEVICE_ID_PATTERN,
  EVENT_SEVERITIES,
  EVENT_TYPES,
  ROLES,
} from '../constants'
import { EpochMs, Nullable } from './common'

/** A string enum typed as the union of its values (JSON schema: `{ type: 'string', enum: [...] }`). */
const literals = <T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>(Type.String({ enum: [...values] }))

export const RoleSchema = literals(ROLES)
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  createdAt: EpochMs,
})
export type User = Static<typeof User>

export const Area = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
})
export type Area = Static<typeof Area>

/** Cameras have their own schemas (the admin and guard views, requests): see ./cameras. */
export { Camera, CameraKindSchema } from './cameras'

export const SensorLatest = Type.Object({
  sensor: Type.String(),
  value: Type.Number(),
  unit: Type.String(),
  ts: EpochMs,
})
export type SensorLatest = Static<typeof SensorLatest>

export const Device = Type.Object({
  id: Type.String({ pattern: DEVICE_ID_PATTERN }),
  name: Type.String(),
  areaId: Nullable(Type.Integer()),
  online: Type.Boolean(),
  connected: Type.Boolean({ description: 'true while the device holds a WebSocket to the station' }),
  lastSeenAt: Nullable(EpochMs),
  hasToken: Type.Boolean(),
  capabilities: Nullable(
    Type.Array(Type.String(), {
      description: 'what the device said it can do (`buzzer`); null: it never said (older firmware)',
    }),
  ),
  createdAt: EpochMs,
  updatedAt: EpochMs,
})
export type Device = Static<typeof Device>

export const DeviceDetail = Type.Intersect([Device, Type.Object({ sensors: Type.Array(SensorLatest) })])
export type DeviceDetail = Static<typeof DeviceDetail>

export const Reading = Type.Object({
  ts: EpochMs,
  value: Type.Number(),
  sensor: Type.String(),
  unit: Type.String(),
})
export type Reading = Static<typeof Reading>
export const ReadingBucket = Type.Object({
  ts: EpochMs,
  sensor: Type.String(),
  min: Type.Number(),
  max: Type.Number(),
  avg: Type.Number(),
  count: Type.Integer(),
})
export type ReadingBucket = Static<typeof ReadingBucket>

export const BuzzerStatusSchema = literals(BUZZER_STATUSES)
export const BuzzerActionSchema = literals(BUZZER_ACTIONS)
export const BuzzerPatternSchema = literals(BUZZER_PATTERNS)
export const BuzzerRequest = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  action: BuzzerActionSchema,
  durationMs: Nullable(Type.Integer()),
  pattern: Nullable(BuzzerPatternSchema),
  status: BuzzerStatusSchema,
  requestedBy: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: EpochMs,
  sentAt: Nullable(EpochMs),
  acknowledgedAt: Nullable(EpochMs),
  expiresAt: EpochMs,
  updatedAt: EpochMs,
})
export type BuzzerRequest = Static<typeof BuzzerRequest>

export const StationEvent = Type.Object({
  id: Type.Integer(),
  ts: EpochMs,
  type: literals(EVENT_TYPES),
  severity: literals(EVENT_SEVERITIES),
  sourceKind: Type.String(),
  sourceId: Type.String(),
  message: Type.String(),
  ackedAt: Nullable(EpochMs),
  ackedBy: Nullable(Type.String()),
  ackNote: Nullable(Type.String()),
  /** The alarm a rule raised from this event (device or camera offline, a failed buzzer), else null. */
  alarmId: Nullable(Type.Integer()),
})
export type StationEvent = Static<typeof StationEvent>
