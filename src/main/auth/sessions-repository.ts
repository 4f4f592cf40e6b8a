import type { Db } from '../database/open'
import type { Role } from '../../shared/constants'

export interface SessionUser {
  id: number
  username: string
  role: Role
  expiresAt: number
}

export class SessionsRepository {
  private readonly insert
  private readonly lookup
  private readonly remove
  private readonly removeForUser
  private readonly removeExpired

  constructor(db: Db) {
    this.insert = db.prepare<[string, number, number, number]>(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.lookup = db.prepare<[string, number], SessionUser>(
      `SELECT u.id, u.username, u.role, s.expires_at AS expiresAt
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.expires_at > ?`,
    )
    this.remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?')
    this.removeForUser = db.prepare<[number]>('DELETE FROM sessions WHERE user_id = ?')
    this.removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?')
  }

  create(tokenHash: string, userId: number, ttlMs: number, now = Date.now()): number {
    const expiresAt = now + ttlMs
    this.insert.run(tokenHash, userId, now, expiresAt)
    return expiresAt
  }

  find(tokenHash: string, now = Date.now()): SessionUser | undefined {
    return this.lookup.get(tokenHash, now)
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
