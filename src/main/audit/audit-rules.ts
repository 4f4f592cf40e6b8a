/**
 * How a route's action becomes an audit entry. A route names its rule in its config
 * (`config: { auth: 'admin', audit: 'camera.update' }`); the rule, defined once in `./actions/`, says what
 * the target is and how to read its state before the handler runs and after it committed. The
 * `station-audit` plugin applies it: successful (2xx) answers are recorded, and failures only where a rule
 * asks (failed sign-ins). Plugins registered later add their own rules with `app.audit.define()`.
 */
import type { FastifyRequest } from 'fastify'
import type { AuditActor } from './request-origin'

export interface AuditTarget {
  kind: string
  id: string | number | null
}

export interface AuditContext {
  req: FastifyRequest
  /** The answer's status. */
  status: number
  /** The `data` of the answer (parsed JSON), when it has one. */
  data: unknown
  /** What `before` read before the handler ran (null when the rule has none). */
  before: unknown
}

export interface AuditRule {
  /** The action recorded; by default the rule's name. A function picks one per request (password vs role). */
  action?: string | ((ctx: AuditContext) => string)
  /** What the action was done to. */
  target?: (ctx: AuditContext) => AuditTarget | null
  /** The target's state before the handler ran (preHandler: after authentication and validation). */
  before?: (req: FastifyRequest) => unknown
  /** Its state after, once the handler has committed (default: none). */
  after?: (ctx: AuditContext) => unknown
  /** Who did it, when the request's principal does not say (sign-in: the user it signed in). */
  actor?: (ctx: AuditContext) => AuditActor | null
  /** Failed answers worth recording: the status and the action they are recorded as. */
  failure?: { status: readonly number[]; action: string }
}

export type RouteAudit = string

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit rule this route's successful answers are recorded with (see src/main/audit/audit-rules.ts). */
    audit?: RouteAudit
  }
}

/** The answer's `{ data }`, or undefined (not JSON, no envelope). */
export function answerData(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length === 0 || payload[0] !== '{') return undefined
  try {
    return (JSON.parse(payload) as { data?: unknown }).data
  } catch {
    return undefined
  }
}

/** `{ id }` of an object, or null. */
export function idOf(value: unknown): string | number | null {
  const id = (value as { id?: unknown } | null | undefined)?.id
  return typeof id === 'number' || typeof id === 'string' ? id : null
}

/** The route's `:name` parameter. */
export function param(req: FastifyRequest, name = 'id'): string | number | null {
  const v = (req.params as Record<string, unknown> | undefined)?.[name]
  return typeof v === 'number' || typeof v === 'string' ? v : null
}
