/** User management: create, change role or password, delete. Users carry no password hash. */
import { idOf, param } from '../audit-rules'
import { bodyOf, type AuditSources, type RuleSet } from './types'

export function userRules(src: AuditSources): RuleSet {
  const before = (id: unknown) => (typeof id === 'number' ? src.user(id) : undefined)
  return {
    'user.create': {
      target: ({ data }) => ({ kind: 'user', id: idOf(data) }),
      after: ({ data }) => data,
    },
    'user.update': {
      // A role change is an update; a password change alone is recorded as such.
      action: ({ req, before: b }) => {
        const role = bodyOf(req)?.role
        const roleChanged = role !== undefined && role !== (b as { role?: unknown } | undefined)?.role
        return roleChanged || bodyOf(req)?.password === undefined ? 'user.update' : 'user.password'
      },
      target: ({ req }) => ({ kind: 'user', id: param(req) }),
      before: (req) => before(param(req)),
      after: ({ req, data }) =>
        bodyOf(req)?.password === undefined ? data : { ...(data as object), passwordChanged: true },
    },
    'user.delete': {
      target: ({ req }) => ({ kind: 'user', id: param(req) }),
      before: (req) => before(param(req)),
    },
  }
}
