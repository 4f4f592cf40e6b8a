/**
 * Short-lived stream tokens for viewer endpoints: an <img> or a browser WebSocket cannot send the session
 * header, and the session token itself should not sit in URLs. One token serves every tile while it is
 * fresh; a new one is fetched shortly before it expires.
 */
import type { Transport } from '../transport/types'

const MARGIN_MS = 10_000

export class StreamTokens {
  private current: { token: string; expiresAt: number } | null = null
  private pending: Promise<string> | null = null

  constructor(
    private readonly transport: Transport,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<string> {
    if (this.current && this.current.expiresAt - MARGIN_MS > this.now())
      return Promise.resolve(this.current.token)
    this.pending ??= this.transport
      .request('stream:token', {})
      .then((t) => {
        this.current = { token: t.token, expiresAt: t.expiresAt }
        return t.token
      })
      .finally(() => {
        this.pending = null
      })
    return this.pending
  }

  /**
   * Drops the cached token; with `token`, only if it is still that one (a viewer the station refused it: one
   * tile's refusal does not throw away the fresh token another tile already fetched).
   */
  forget(token?: string): void {
    if (token === undefined || this.current?.token === token) this.current = null
  }
}
