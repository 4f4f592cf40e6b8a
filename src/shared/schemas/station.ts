/** The station itself: `GET /api/health` and the response cache's admin routes (`/api/cache/*`). */
import { Type, type Static } from '@sinclair/typebox'
import { AuditHealth } from './audit'

/** The database's storage as the station sees it (src/main/database/storage-monitor.ts). */
export const StorageHealth = Type.Object({
  /** ok, or the fault that makes the station refuse new data (writes answer 503 with its code). */
  state: Type.Union([
    Type.Literal('ok'),
    Type.Literal('full'),
    Type.Literal('read-only'),
    Type.Literal('damaged'),
    Type.Literal('foreign'),
  ]),
  message: Type.Optional(Type.String()),
  /** When the fault began (epoch ms). */
  since: Type.Optional(Type.Integer()),
  /** Writes refused since the fault began. */
  refusedWrites: Type.Integer(),
  /** Free bytes on the data folder's volume at the last look (every 10 s, 2 s while space is short). */
  freeBytes: Type.Optional(Type.Number()),
  /** The start-up checks: which ran, and whether the previous run stopped without closing the database. */
  startupChecks: Type.Optional(Type.Array(Type.String())),
  uncleanStop: Type.Optional(Type.Boolean()),
})
export type StorageHealth = Static<typeof StorageHealth>

export const Health = Type.Object({
  /** degraded: the station serves, but something below (storage) refuses new data. */
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeSeconds: Type.Number(),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')]),
  serverTime: Type.Integer(),
  /** The site's IANA time zone (STATION_TIME_ZONE): reports and the UI show times in it. */
  timeZone: Type.String(),
  /** The audit log's hash chain as checked at start (docs/audit.md); absent until the check ran. */
  audit: Type.Optional(AuditHealth),
  storage: StorageHealth,
})
export type Health = Static<typeof Health>

/** `POST /api/cache/invalidate` body. */
export const CacheInvalidateBody = Type.Object(
  { pattern: Type.String({ minLength: 1, maxLength: 512, pattern: '^/' }) },
  { additionalProperties: false },
)

export const CacheRemoved = Type.Object({ count: Type.Integer(), message: Type.String() })
export type CacheRemoved = Static<typeof CacheRemoved>
