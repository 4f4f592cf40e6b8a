/** The station itself: `GET /api/health` and the response cache's admin routes (`/api/cache/*`). */
import { Type, type Static } from '@sinclair/typebox'
import { AuditHealth } from './audit'

export const Health = Type.Object({
  status: Type.Literal('ok'),
  uptimeSeconds: Type.Number(),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')]),
  serverTime: Type.Integer(),
  /** The audit log's hash chain as checked at start (docs/audit.md); absent until the check ran. */
  audit: Type.Optional(AuditHealth),
})
export type Health = Static<typeof Health>

/** `POST /api/cache/invalidate` body. */
export const CacheInvalidateBody = Type.Object(
  { pattern: Type.String({ minLength: 1, maxLength: 512, pattern: '^/' }) },
  { additionalProperties: false },
)

export const CacheRemoved = Type.Object({ count: Type.Integer(), message: Type.String() })
export type CacheRemoved = Static<typeof CacheRemoved>
