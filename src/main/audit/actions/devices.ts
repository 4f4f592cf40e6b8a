/** Devices: rename, move, delete, and their bearer tokens (the token itself never: only that one was issued). */
import { param } from '../audit-rules'
import type { AuditSources, RuleSet } from './types'

export function deviceRules(src: AuditSources): RuleSet {
  const device = (id: unknown) => (typeof id === 'string' ? src.device(id) : undefined)
  const target = ({ req }: { req: Parameters<typeof param>[0] }) => ({ kind: 'device', id: param(req) })
  return {
    'device.update': { target, before: (req) => device(param(req)), after: ({ data }) => data },
    'device.delete': { target, before: (req) => device(param(req)) },
    'device.token.issue': {
      action: 'token.issue',
      target: ({ req }) => ({ kind: 'device-token', id: param(req) }),
    },
    'device.token.revoke': {
      action: 'token.revoke',
      target: ({ req }) => ({ kind: 'device-token', id: param(req) }),
    },
  }
}
