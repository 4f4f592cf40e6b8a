/** Buzzer commands guards trigger and follow: `/api/v1/buzzer/*` (device polling and acks: device-protocol.ts). */
import { Type, type Static } from '@sinclair/typebox'
import { DeviceId } from './device-protocol'
import { BuzzerActionSchema, BuzzerPatternSchema, BuzzerRequest } from './entities'

export const MAX_BUZZER_DURATION_MS = 10 * 60_000

export const BuzzerRequestId = Type.String({ minLength: 1, maxLength: 64 })
export const BuzzerDeviceParams = Type.Object({ deviceId: DeviceId })
export const BuzzerRequestParams = Type.Object({ id: BuzzerRequestId })

/** `POST /api/v1/buzzer/:deviceId` body. */
export const BuzzerTriggerBody = Type.Object(
  {
    action: BuzzerActionSchema,
    durationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BUZZER_DURATION_MS })),
    pattern: Type.Optional(BuzzerPatternSchema),
  },
  { additionalProperties: false },
)
export type BuzzerTriggerBody = Static<typeof BuzzerTriggerBody>

export const BuzzerTriggerResult = Type.Object({
  requestId: Type.String(),
  status: BuzzerRequest.properties.status,
  expiresAt: Type.Integer(),
})
export type BuzzerTriggerResult = Static<typeof BuzzerTriggerResult>

export const BuzzerRequestsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) },
  { additionalProperties: false },
)

export const BuzzerRequestList = Type.Array(BuzzerRequest)
