/**
 * The contract device firmware is written against (documented with examples in docs/device-protocol.md).
 * Every message from the LAN is validated against these schemas before anything is written.
 */
import { Type, type Static } from '@sinclair/typebox'
import {
  DEVICE_CAPABILITIES,
  DEVICE_ID_PATTERN,
  MAX_READINGS_PER_BATCH,
  SENSOR_NAME_PATTERN,
} from '../constants'
import { EpochMs } from './common'
import { BuzzerActionSchema, BuzzerPatternSchema } from './entities'

export const DeviceId = Type.String({ pattern: DEVICE_ID_PATTERN, minLength: 1, maxLength: 64 })

/** One sensor value. `ts` is optional: the station's receive time is used without it. */
export const ReadingInput = Type.Object(
  {
    sensor: Type.String({ pattern: SENSOR_NAME_PATTERN, minLength: 1, maxLength: 64 }),
    value: Type.Number(),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
    ts: Type.Optional(EpochMs),
  },
  { additionalProperties: false },
)
export type ReadingInput = Static<typeof ReadingInput>

export const DeviceReadingInput = Type.Object(
  {
    deviceId: DeviceId,
    sensor: ReadingInput.properties.sensor,
    value: Type.Number(),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
    ts: Type.Optional(EpochMs),
  },
  { additionalProperties: false },
)
export type DeviceReadingInput = Static<typeof DeviceReadingInput>

/** `POST /api/v1/ingest/sensor-data`: one reading, or `{ readings: [...] }` (all or nothing). */
export const IngestBody = Type.Union([
  DeviceReadingInput,
  Type.Object(
    { readings: Type.Array(DeviceReadingInput, { minItems: 1, maxItems: MAX_READINGS_PER_BATCH }) },
    { additionalProperties: false },
  ),
])
export type IngestBody = Static<typeof IngestBody>

const MsgId = Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 }))

/**
 * What the device can do, in a heartbeat (`["buzzer"]`; `[]` for a sensor without one). Send it in the
 * first heartbeat after connecting and whenever it changes; leaving it out keeps what was said before.
 */
export const Capabilities = Type.Array(Type.Union(DEVICE_CAPABILITIES.map((c) => Type.Literal(c))), {
  maxItems: DEVICE_CAPABILITIES.length,
  uniqueItems: true,
})
export type Capabilities = Static<typeof Capabilities>

/** `POST /api/v1/devices/:id/heartbeat` body (optional). */
export const HeartbeatBody = Type.Object(
  { capabilities: Type.Optional(Capabilities) },
  { additionalProperties: false },
)
export type HeartbeatBody = Static<typeof HeartbeatBody>

/** Device → station over `/ws/device`. */
export const DeviceToStation = Type.Union([
  Type.Object(
    {
      op: Type.Literal('reading'),
      id: MsgId,
      sensor: ReadingInput.properties.sensor,
      value: Type.Number(),
      unit: Type.Optional(Type.String({ maxLength: 16 })),
      ts: Type.Optional(EpochMs),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      op: Type.Literal('readings'),
      id: MsgId,
      readings: Type.Array(ReadingInput, { minItems: 1, maxItems: MAX_READINGS_PER_BATCH }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { op: Type.Literal('heartbeat'), id: MsgId, capabilities: Type.Optional(Capabilities) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      op: Type.Literal('buzzer-ack'),
      id: MsgId,
      requestId: Type.String({ minLength: 1, maxLength: 64 }),
      ok: Type.Boolean(),
      error: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
])
export type DeviceToStation = Static<typeof DeviceToStation>

/** A command the station sends a buzzer (pushed over WebSocket, or returned by heartbeat/pending). */
export const BuzzerCommand = Type.Object({
  op: Type.Literal('buzzer'),
  requestId: Type.String(),
  action: BuzzerActionSchema,
  durationMs: Type.Optional(Type.Integer()),
  pattern: Type.Optional(BuzzerPatternSchema),
})
export type BuzzerCommand = Static<typeof BuzzerCommand>

/**
 * Machine-readable reason of an `error` frame (`message` is for people):
 * - BAD_JSON: the frame is not JSON (or is a binary frame); UNKNOWN_OP: `op` missing or unknown;
 *   VALIDATION: the message breaks the schema. These never succeed: do not resend.
 * - OVERLOADED (write queue full) and SHUTTING_DOWN: nothing was stored; resend after `retryAfterSeconds`.
 * - NOT_FOUND, CONFLICT, FORBIDDEN (a buzzer-ack for an unknown, ended or foreign request), INTERNAL.
 */
export const DEVICE_ERROR_CODES = [
  'BAD_JSON',
  'UNKNOWN_OP',
  'VALIDATION',
  'OVERLOADED',
  'SHUTTING_DOWN',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'INTERNAL',
  /** The station's disk is full, or its database read-only or damaged: nothing was stored; resend later. */
  'STORAGE_FULL',
  'STORAGE_READ_ONLY',
  'STORAGE_DAMAGED',
] as const
export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number]

/** Codes of error frames worth resending the same message for (after `retryAfterSeconds`). */
export const TRANSIENT_DEVICE_ERRORS: readonly DeviceErrorCode[] = [
  'OVERLOADED',
  'SHUTTING_DOWN',
  'STORAGE_FULL',
  'STORAGE_READ_ONLY',
  'STORAGE_DAMAGED',
]

export interface DeviceErrorFrame {
  op: 'error'
  /** The id of the refused message, when it had a usable one. */
  id?: number
  code: DeviceErrorCode
  message: string
  /** With OVERLOADED and SHUTTING_DOWN: seconds to wait before resending. */
  retryAfterSeconds?: number
}

/** Station → device over `/ws/device`. */
export type StationToDevice =
  { op: 'ack'; id?: number; accepted?: number; serverTime?: number } | DeviceErrorFrame | BuzzerCommand

export const BuzzerAckBody = Type.Object(
  { ok: Type.Boolean(), error: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
)

/** `?deviceId=` of `POST /api/v1/buzzer/requests/:id/ack` (with the site key: names the target device). */
export const BuzzerAckQuery = Type.Object(
  { deviceId: Type.Optional(DeviceId) },
  { additionalProperties: false },
)

/** `GET /api/v1/buzzer/:deviceId/pending`: commands waiting for a polling device. */
export const PendingCommands = Type.Object({
  commands: Type.Array(BuzzerCommand),
  serverTime: Type.Integer(),
})

/** `POST /api/v1/devices/:id/heartbeat`: the server time and the pending commands. */
export const HeartbeatAnswer = Type.Object({
  serverTime: Type.Integer(),
  commands: Type.Array(BuzzerCommand),
})

/** `POST /api/v1/ingest/sensor-data`: how many readings were committed. */
export const IngestAccepted = Type.Object({ accepted: Type.Integer({ minimum: 1 }) })

/** `/ws/device?deviceId=`: the device's id (a device token fixes it). */
export const DeviceSocketQuery = Type.Object(
  { deviceId: Type.Optional(DeviceId) },
  { additionalProperties: false },
)
