/** Devices as guards and admins see them: `/api/v1/devices` (the device protocol is in device-protocol.ts). */
import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common'
import { DeviceId } from './device-protocol'
import { Device } from './entities'

export const DeviceParams = Type.Object({ id: DeviceId })

export const DeviceList = Type.Array(Device)

/** `PUT /api/v1/devices/:id` body: a new name and/or area. */
export const DeviceChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    areaId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type DeviceChange = Static<typeof DeviceChange>

export const DeviceDeleted = Type.Object({ deleted: Type.Literal(true) })

/** A per-device bearer token, shown once: the station keeps only its hash. */
export const DeviceToken = Type.Object({ deviceId: DeviceId, token: Type.String() })
export type DeviceToken = Static<typeof DeviceToken>

export const DeviceTokenRevoked = Type.Object({ revoked: Type.Literal(true) })
