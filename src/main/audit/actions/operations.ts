/** What guards do at the desk (buzzers, acknowledging events) and admins' cache commands. */
import { param } from '../audit-rules'
import { bodyOf, type AuditSources, type RuleSet } from './types'

export function operationRules(src: AuditSources): RuleSet {
  return {
    'buzzer.trigger': {
      target: ({ req }) => ({ kind: 'device', id: param(req, 'deviceId') }),
      after: ({ req, data }) => ({ ...bodyOf(req), ...(data as object) }),
    },
    'event.acknowledge': {
      target: ({ req }) => ({ kind: 'event', id: param(req) }),
      before: (req) => {
        const id = param(req)
        const e = typeof id === 'number' ? src.event(id) : undefined
        return e ? { ackedAt: e.ackedAt, ackedBy: e.ackedBy, ackNote: e.ackNote } : undefined
      },
      after: ({ data }) => {
        const d = data as { event?: Record<string, unknown>; alreadyAcknowledged?: boolean } | undefined
        if (!d?.event) return undefined
        const { ackedAt, ackedBy, ackNote, type, sourceKind, sourceId } = d.event
        return {
          type,
          sourceKind,
          sourceId,
          ackedAt,
          ackedBy,
          ackNote,
          alreadyAcknowledged: d.alreadyAcknowledged,
        }
      },
    },
    'event.acknowledge-many': {
      target: () => ({ kind: 'event', id: null }),
      after: ({ req, data }) => {
        const d = data as { events?: { id: number }[]; acknowledged?: number } | undefined
        return { ids: bodyOf(req)?.ids, note: bodyOf(req)?.note ?? null, acknowledged: d?.acknowledged }
      },
    },
    'cache.invalidate': {
      target: () => ({ kind: 'cache', id: null }),
      after: ({ req, data }) => ({
        pattern: bodyOf(req)?.pattern,
        count: (data as { count?: number })?.count,
      }),
    },
    'cache.clear': {
      target: () => ({ kind: 'cache', id: null }),
      after: ({ data }) => ({ count: (data as { count?: number })?.count }),
    },
  }
}
