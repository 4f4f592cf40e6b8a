/** Sign-in and sessions: `/api/auth/*` (login, logout, me, password). */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs } from './common'
import { RoleSchema } from './entities'

/** `POST /api/auth/login` body. */
export const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type Credentials = Static<typeof Credentials>

export const SessionUser = Type.Object({ username: Type.String(), role: RoleSchema })
export type SessionUser = Static<typeof SessionUser>

/**
 * When a session ends: `expiresAt` unless the guard does something (each action renews it by the idle
 * timeout), `maxExpiresAt` however active they are; the screen warns `warnMs` before the end.
 */
const sessionEnds = {
  expiresAt: EpochMs,
  maxExpiresAt: EpochMs,
  warnMs: Type.Integer({ minimum: 0, description: 'how long before the end the screen warns' }),
}
export const SessionEnds = Type.Object(sessionEnds)
export type SessionEnds = Static<typeof SessionEnds>

/** A new session: the bearer token, when it ends, and whose it is. */
export const Session = Type.Object({ token: Type.String(), ...sessionEnds, user: SessionUser })
export type Session = Static<typeof Session>

export const LoggedOut = Type.Object({ loggedOut: Type.Boolean() })
export type LoggedOut = Static<typeof LoggedOut>

/** `GET /api/auth/me`. */
export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  ...sessionEnds,
})
export type Me = Static<typeof Me>

/** `PUT /api/auth/password` body. */
export const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type PasswordChange = Static<typeof PasswordChange>

/** A fresh session after a password change: other sessions of the user end. */
export const NewSession = Type.Object({ token: Type.String(), ...sessionEnds })
export type NewSession = Static<typeof NewSession>
