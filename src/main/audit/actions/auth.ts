/** Sign-in (and failed sign-ins), sign-out, staying signed in, and changing one's own password. */
import type { FastifyRequest } from 'fastify'
import { actorOf } from '../request-origin'
import { bodyOf, type AuditSources, type RuleSet } from './types'

const self = (req: FastifyRequest) => (req.principal?.kind === 'user' ? req.principal.id : null)

export function authRules(src: AuditSources): RuleSet {
  const attempted = (req: FastifyRequest) => String(bodyOf(req)?.username ?? '')
  return {
    'auth.sign-in': {
      actor: ({ req, status }) => {
        const user = src.userByName(attempted(req))
        if (status < 300 && user) return { kind: 'user', id: user.id, name: user.username }
        return { kind: 'anonymous', id: null, name: attempted(req) }
      },
      target: ({ req }) => ({ kind: 'user', id: src.userByName(attempted(req))?.id ?? null }),
      // 401: a wrong username or password. 429s (too many attempts) are refused before any check and
      // are not recorded: a guessing client could otherwise fill the log.
      failure: { status: [401], action: 'auth.sign-in-failed' },
    },
    'auth.sign-out': {
      target: ({ req }) => ({ kind: 'user', id: self(req) }),
    },
    // "Stay signed in": the guard chose to extend their sign-in.
    'auth.renew': {
      target: ({ req }) => ({ kind: 'user', id: self(req) }),
    },
    'auth.password': {
      action: 'user.password',
      actor: ({ req }) => actorOf(req.principal),
      target: ({ req }) => ({ kind: 'user', id: self(req) }),
      after: () => ({ passwordChanged: true }),
    },
  }
}
