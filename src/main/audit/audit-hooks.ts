/**
 * Applies the routes' audit rules: `preHandler` (after authentication and validation) notes who is asking,
 * from where, and the target's state before; `onSend` records the entry once the handler has answered
 * 2xx (its writes committed; the answer's data noted in `preSerialization`) and holds the answer until the entry is committed too. Failures are recorded
 * only where the rule lists their status (failed sign-ins). An entry that cannot be written is logged and
 * counted (the action itself has happened; the answer says so).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuditService } from './audit-service'
import { answerData, type AuditContext, type AuditRule } from './audit-rules'
import { actorOf, sourceOf, type AuditActor } from './request-origin'

interface Noted {
  rule: AuditRule
  name: string
  actor: AuditActor
  source: string
  at: number
  before: unknown
  /** The answer's `data`, taken before serialization (compression may turn the payload into a stream). */
  data?: unknown
}

const noted = new WeakMap<FastifyRequest, Noted>()

export function installAuditHooks(app: FastifyInstance, audit: AuditService): void {
  app.addHook('preHandler', async (req) => {
    const name = req.routeOptions.config.audit
    if (!name) return
    const rule = audit.rule(name)
    if (!rule) return
    noted.set(req, {
      rule,
      name,
      actor: actorOf(req.principal),
      source: sourceOf(req),
      at: Date.now(),
      before: (await rule.before?.(req)) ?? null,
    })
  })

  app.addHook('preSerialization', async (req, _reply, payload: unknown) => {
    const n = noted.get(req)
    if (n && payload !== null && typeof payload === 'object') n.data = (payload as { data?: unknown }).data
    return payload
  })

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const n = noted.get(req)
    if (!n && !req.routeOptions.config.audit) return payload
    const status = reply.statusCode
    const ok = status >= 200 && status < 300
    // A failure before preHandler (validation, refused credentials) has no note yet.
    const rule = n?.rule ?? audit.rule(req.routeOptions.config.audit ?? '')
    if (!rule || (!ok && !rule.failure?.status.includes(status))) return payload
    const ctx: AuditContext = {
      req,
      status,
      data: ok ? (n && 'data' in n ? n.data : answerData(payload)) : undefined,
      before: n?.before ?? null,
    }
    const name = n?.name ?? req.routeOptions.config.audit!
    try {
      const action = !ok
        ? rule.failure!.action
        : typeof rule.action === 'function'
          ? rule.action(ctx)
          : (rule.action ?? name)
      await audit.record({
        at: n?.at,
        actor: rule.actor?.(ctx) ?? n?.actor ?? actorOf(req.principal),
        source: n?.source ?? sourceOf(req),
        action,
        target: rule.target?.(ctx) ?? null,
        before: ok ? ctx.before : null,
        after: ok ? (rule.after?.(ctx) ?? null) : null,
      })
    } catch (err) {
      req.log.error({ err, audit: name }, 'audit entry not written')
    }
    return payload
  })
}
