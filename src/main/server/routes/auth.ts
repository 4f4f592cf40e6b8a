/**
 * Sign-in for guards and admins: `POST /api/auth/login` (public, failures limited hard per IP and per
 * username), `POST /api/auth/logout`, `GET /api/auth/me` (who, and when the session ends; reading it does
 * not renew it), `POST /api/auth/renew` ("Stay signed in"), and `PUT /api/auth/password` (any user, own
 * password: every other session of theirs ends, the caller gets a fresh token).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import {
  Credentials,
  LoggedOut,
  Me,
  NewSession,
  PasswordChange,
  Session,
  SessionEnds,
} from '../../../shared/schemas/auth'
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords'
import type { Principal } from '../plugins/auth'
import { StationError, errors } from '../errors'
import { LoginLimiter } from './login-limiter'

type UserPrincipal = Extract<Principal, { kind: 'user' }>
function userOf(p: Principal | null): UserPrincipal {
  if (p?.kind !== 'user') throw errors.unauthorized()
  return p
}

const isBadLogin = (err: unknown) => err instanceof StationError && err.code === 'BAD_LOGIN'

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limiter = new LoginLimiter(app)
  const warnMs = app.config.sessionWarnMs

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public', audit: 'auth.sign-in' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; answers a bearer session token',
        description: `Failed attempts are limited per client IP and per username (429 with Retry-After).`,
        body: Credentials,
        response: { 200: Ok(Session) },
      },
    },
    async (req) => {
      const { username, password } = req.body
      const s = await limiter.guard(req, username, () => app.auth.login(username, password), isBadLogin)
      return {
        success: true as const,
        data: {
          token: s.token,
          expiresAt: s.expiresAt,
          maxExpiresAt: s.maxExpiresAt,
          warnMs,
          user: { username: s.user.username, role: s.user.role },
        },
      }
    },
  )

  app.post(
    '/api/auth/logout',
    {
      config: { auth: 'guard', audit: 'auth.sign-out' },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 200: Ok(LoggedOut) },
      },
    },
    async (req) => {
      app.auth.logout(userOf(req.principal).tokenHash)
      return { success: true as const, data: { loggedOut: true } }
    },
  )

  app.get(
    '/api/auth/me',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['auth'],
        summary: 'Who this session belongs to, and when it ends (reading it does not renew it)',
        response: { 200: Ok(Me) },
      },
    },
    async (req) => {
      const u = userOf(req.principal)
      const s = app.auth.sessions.find(u.tokenHash)
      if (!s) throw errors.unauthorized()
      const ends = { expiresAt: s.expiresAt, maxExpiresAt: s.maxExpiresAt, warnMs }
      return { success: true as const, data: { id: u.id, username: u.username, role: u.role, ...ends } }
    },
  )

  app.post(
    '/api/auth/renew',
    {
      config: { auth: 'guard', audit: 'auth.renew' },
      schema: {
        tags: ['auth'],
        summary: '"Stay signed in": renews this session by the idle timeout, never past its longest sign-in',
        description: `Any request that changes something renews the session too; reads do not.`,
        response: { 200: Ok(SessionEnds) },
      },
    },
    async (req) => {
      const ends = app.auth.renewSession(userOf(req.principal).tokenHash, true)
      if (!ends) throw errors.unauthorized()
      return { success: true as const, data: { ...ends, warnMs } }
    },
  )

  app.put(
    '/api/auth/password',
    {
      config: { auth: 'guard', audit: 'auth.password' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; other sessions end and a fresh token is answered',
        body: PasswordChange,
        response: { 200: Ok(NewSession) },
      },
    },
    async (req) => {
      const me = userOf(req.principal)
      const { currentPassword, newPassword } = req.body
      const problem = passwordProblem(newPassword, me.username)
      if (problem) throw errors.badRequest(problem)
      await limiter.guard(
        req,
        me.username,
        async () => {
          const stored = app.auth.users.findByUsername(me.username)
          if (!stored || !(await verifyPassword(currentPassword, stored.passwordHash))) {
            throw new StationError(403, 'WRONG_PASSWORD', 'The current password is wrong')
          }
        },
        (err) => err instanceof StationError && err.code === 'WRONG_PASSWORD',
      )
      const hash = await hashPassword(newPassword)
      if (!app.auth.users.setPasswordHash(me.id, hash))
        throw errors.unauthorized('Your account no longer exists')
      app.auth.forgetSessions(me.id)
      const { token, expiresAt, maxExpiresAt } = app.auth.newSession(me.id)
      app.domainEvents.publish({ type: 'user.changed', userId: me.id, change: 'password' })
      return { success: true as const, data: { token, expiresAt, maxExpiresAt, warnMs } }
    },
  )
}

export default authRoutes
