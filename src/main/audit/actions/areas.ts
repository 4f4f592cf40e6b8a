/** Areas (zones of the site). Arming and disarming (area.arm, area.disarm) come with the alarm rules. */
import { idOf, param } from '../audit-rules'
import type { AuditSources, RuleSet } from './types'

export function areaRules(src: AuditSources): RuleSet {
  const area = (id: unknown) => (typeof id === 'number' ? src.area(id) : undefined)
  return {
    'area.create': { target: ({ data }) => ({ kind: 'area', id: idOf(data) }), after: ({ data }) => data },
    'area.update': {
      target: ({ req }) => ({ kind: 'area', id: param(req) }),
      before: (req) => area(param(req)),
      after: ({ data }) => data,
    },
    'area.delete': {
      target: ({ req }) => ({ kind: 'area', id: param(req) }),
      before: (req) => area(param(req)),
    },
  }
}
