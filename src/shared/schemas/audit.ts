/**
 * The audit log (`GET /api/audit`, admins only): every operator action, append-only, each entry chained to
 * the previous one by a SHA-256 hash (docs/audit.md). Entries are never edited or deleted through the API.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'
import { AUDIT_ACTOR_KINDS, MAX_AUDIT_EXPORT, MAX_AUDIT_LIMIT } from '../audit-actions'

export * from '../audit-actions'

export const AuditEntry = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, description: 'Position in the chain: 1, 2, 3... without gaps' }),
    at: EpochMs,
    actorKind: Type.Union(
      AUDIT_ACTOR_KINDS.map((k) => Type.Literal(k)),
      { description: 'user (signed in), device, system (the station itself), anonymous (failed sign-in)' },
    ),
    actorId: Nullable(Type.Integer({ description: "The user's id" })),
    actorName: Nullable(
      Type.String({ description: 'Username (attempted one for failed sign-ins) or device id' }),
    ),
    source: Type.String({ description: 'Client IP address, `desktop` (the app window) or `station`' }),
    action: Type.String({ description: 'What was done, e.g. camera.update' }),
    targetKind: Nullable(Type.String({ description: 'What it was done to: camera, user, device, ...' })),
    targetId: Nullable(Type.String()),
    before: Type.Unknown({ description: 'The target before (secrets redacted), or null' }),
    after: Type.Unknown({ description: 'The target after (secrets redacted), or null' }),
    prevHash: Type.String({ description: "SHA-256 (hex) of the previous entry's hash and content" }),
    hash: Type.String({ description: 'SHA-256 (hex) of prevHash and this entry (docs/audit.md)' }),
  },
  { additionalProperties: false },
)
export type AuditEntry = Static<typeof AuditEntry>

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(EpochMs),
    to: Type.Optional(EpochMs),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Username or device id (exact, any case)' }),
    ),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[a-z0-9.-]+(\\.\\*)?$',
        description: 'An action (camera.update), or a domain with .* (camera.*)',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_LIMIT, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv')], {
        description: `csv: every matching entry (oldest first, at most ${MAX_AUDIT_EXPORT}) as a CSV download`,
      }),
    ),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuery>

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry, { description: 'Newest first' }),
  total: Type.Integer({ description: 'Every entry matching the filter' }),
})
export type AuditPage = Static<typeof AuditPage>

/** What the station found when it checked the chain at start (also in `GET /api/health`). */
export const AuditChainStatus = Type.Object({
  state: Type.Union([Type.Literal('ok'), Type.Literal('broken'), Type.Literal('empty')]),
  /** Entries checked; fewer than `lastSeq` when only the latest were (`partial`). */
  checked: Type.Integer(),
  partial: Type.Boolean({ description: 'Only the latest entries were checked (the log is long)' }),
  lastSeq: Type.Integer(),
  /** The first entry that does not follow from the one before it (broken only). */
  brokenAt: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  checkedAt: EpochMs,
  ms: Type.Number({ description: 'How long the check took' }),
})
export type AuditChainStatus = Static<typeof AuditChainStatus>

/** What `/api/health` (public) says of the chain: whether it holds, not what the log holds. */
export const AuditHealth = Type.Pick(AuditChainStatus, ['state', 'partial', 'brokenAt', 'checkedAt'])
export type AuditHealth = Static<typeof AuditHealth>
