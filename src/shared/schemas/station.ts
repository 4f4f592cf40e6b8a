/** The station itself: `GET /api/health` and the response cache's admin routes (`/api/cache/*`). */
import { Type, type Static } from '@sinclair/typebox'

export const Health = Type.Object({
  status: Type.Literal('ok'),
  uptimeSeconds: Type.Number(),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')]),
  serverTime: Type.Integer(),
})
export type Health = Static<typeof Health>

/** `POST /api/cache/invalidate` body. */
export const CacheInvalidateBody = Type.Object(
  { pattern: Type.String({ minLength: 1, maxLength: 512, pattern: '^/' }) },
  { additionalProperties: false },
)

export const CacheRemoved = Type.Object({ count: Type.Integer(), message: Type.String() })
export type CacheRemoved = Static<typeof CacheRemoved>
