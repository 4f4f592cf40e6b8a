import type { Db } from '../database/open'
import type { Role } from '../../shared/constants'

export interface SessionUser {
  id: number
  username: string
  role: Role
  /** When the session ends unless renewed (sliding). */
  expiresAt: number
  /** When it ends however active its user is (the absolute maximum). */
  maxExpiresAt: number
}

/** How long a session lasts: renewed by activity for `idleMs`, never past `maxMs` after sign-in. */
export interface SessionTimes {
  idleMs: number
  maxMs: number
}

/** When a session's end is `expiresAt` and its absolute end `maxExpiresAt`. */
export interface SessionEnds {
  expiresAt: number
  maxExpiresAt: number
}

export class SessionsRepository {
  private readonly insert
  private readonly lookup
  private readonly slide
  private readonly remove
  private readonly removeForUser
  private readonly removeExpired

  constructor(db: Db) {
    this.insert = db.prepare<[string, number, number, number, number]>(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, max_expires_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.lookup = db.prepare<[string, number], SessionUser>(
      `SELECT u.id, u.username, u.role, s.expires_at AS expiresAt,
              coalesce(s.max_expires_at, s.expires_at) AS maxExpiresAt
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.expires_at > ?`,
    )
    this.slide = db.prepare<{ hash: string; now: number; until: number }>(
      `UPDATE sessions SET expires_at = min(coalesce(max_expires_at, expires_at), :until)
        WHERE token_hash = :hash AND expires_at > :now AND expires_at < :until`,
    )
    this.remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?')
    this.removeForUser = db.prepare<[number]>('DELETE FROM sessions WHERE user_id = ?')
    this.removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?')
  }

  create(tokenHash: string, userId: number, times: SessionTimes, now = Date.now()): SessionEnds {
    const maxExpiresAt = now + times.maxMs
    const expiresAt = Math.min(maxExpiresAt, now + times.idleMs)
    this.insert.run(tokenHash, userId, now, expiresAt, maxExpiresAt)
    return { expiresAt, maxExpiresAt }
  }

  find(tokenHash: string, now = Date.now()): SessionUser | undefined {
    return this.lookup.get(tokenHash, now)
  }

  /**
   * Moves a live session's end to `idleMs` from now, never past its absolute end; an expired one stays
   * expired. Answers the session as it is now (undefined when it has ended).
   */
  renew(tokenHash: string, idleMs: number, now = Date.now()): SessionUser | undefined {
    this.slide.run({ hash: tokenHash, now, until: now + idleMs })
    return this.find(tokenHash, now)
  }

  delete(tokenHash: string): void {
    this.remove.run(tokenHash)
  }

  deleteForUser(userId: number): number {
    return this.removeForUser.run(userId).changes
  }

  deleteExpired(now = Date.now()): number {
    return this.removeExpired.run(now).changes
  }
}
