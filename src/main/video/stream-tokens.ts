/**
 * Short-lived stream tokens: an <img> or a browser WebSocket cannot send an Authorization header, so the
 * UI trades its session for a token that only opens viewer endpoints, only within a minute, optionally
 * for one camera only, and only while the session that asked for it is still valid. Tokens live in memory
 * (bounded) and are kept hashed.
 */
import { LRUCache } from 'lru-cache'
import { hashToken, newToken } from '../auth/tokens'
import type { Role } from '../../shared/constants'

export interface StreamTokenOwner {
  userId: number
  username: string
  role: Role
  /** Hash of the session that asked: the token dies with it. */
  sessionHash: string
}

interface Entry extends StreamTokenOwner {
  cameraId: number | null
}

export class StreamTokens {
  private readonly tokens: LRUCache<string, Entry>
  issued = 0
  used = 0
  refused = 0

  constructor(private readonly ttlMs: number) {
    this.tokens = new LRUCache<string, Entry>({ max: 20_000, ttl: ttlMs, ttlAutopurge: false })
  }

  issue(owner: StreamTokenOwner, cameraId: number | null): { token: string; expiresAt: number } {
    const token = newToken()
    this.tokens.set(hashToken(token), { ...owner, cameraId })
    this.issued++
    return { token, expiresAt: Date.now() + this.ttlMs }
  }

  /**
   * The owner of a token valid for `cameraId`, if the session behind it still is.
   * A token may open several viewers within its lifetime (a grid of tiles).
   */
  resolve(
    token: string,
    cameraId: number | undefined,
    sessionValid: (sessionHash: string) => boolean,
  ): StreamTokenOwner | undefined {
    const hash = hashToken(token)
    const e = this.tokens.get(hash)
    if (e && !sessionValid(e.sessionHash)) this.tokens.delete(hash)
    else if (e && (e.cameraId === null || e.cameraId === cameraId)) {
      this.used++
      return e
    }
    this.refused++
    return undefined
  }

  get size(): number {
    return this.tokens.size
  }
}
