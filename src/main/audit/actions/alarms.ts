/**
 * Alarm rules (admins), the alarm workflow and area arming (guards). Defined by the `station-alarms`
 * plugin with `app.audit.define()` (it registers after `station-audit` and holds what these rules read).
 */
import { idOf, param } from '../audit-rules'
import type { Alarm, AreaArming, Rule } from '../../../shared/schemas/alarms'
import { bodyOf, type RuleSet } from './types'

export interface AlarmAuditSources {
  rule(id: number): Rule | undefined
  alarm(id: number): Alarm | undefined
  arming(areaId: number): AreaArming
}

export function alarmRules(src: AlarmAuditSources): RuleSet {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined)
  const rule = (id: unknown) => (num(id) === undefined ? undefined : src.rule(num(id)!))
  const alarm = (id: unknown) => (num(id) === undefined ? undefined : src.alarm(num(id)!))
  const alarmRule = {
    target: ({ req }: { req: Parameters<typeof param>[0] }) => ({ kind: 'alarm', id: param(req) }),
    before: (req: Parameters<typeof param>[0]) => alarm(param(req)),
    after: ({ data }: { data: unknown }) => data,
  }
  return {
    'rule.create': { target: ({ data }) => ({ kind: 'rule', id: idOf(data) }), after: ({ data }) => data },
    'rule.update': {
      target: ({ req }) => ({ kind: 'rule', id: param(req) }),
      before: (req) => rule(param(req)),
      after: ({ data }) => data,
    },
    'rule.delete': {
      target: ({ req }) => ({ kind: 'rule', id: param(req) }),
      before: (req) => rule(param(req)),
    },
    'alarm.raise': { target: ({ data }) => ({ kind: 'alarm', id: idOf(data) }), after: ({ data }) => data },
    'alarm.acknowledge': alarmRule,
    'alarm.resolve': alarmRule,
    'alarm.assign': alarmRule,
    'alarm.note': {
      target: alarmRule.target,
      after: ({ req }: { req: { body?: unknown } }) => ({ note: bodyOf(req)?.note }),
    },
    // One route, two actions: what the body asks for.
    'area.arm': {
      action: ({ req }) => (bodyOf(req)?.armed === false ? 'area.disarm' : 'area.arm'),
      target: ({ req }) => ({ kind: 'area', id: param(req) }),
      before: (req) => (num(param(req)) === undefined ? undefined : src.arming(num(param(req))!)),
      after: ({ data }) => data,
    },
  }
}
