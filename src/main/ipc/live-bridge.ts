/**
 * Live messages for the desktop page without a WebSocket: subscribes to the LiveHub in-process with
 * the caller's session (so it gets exactly what a `/ws/live` subscriber with that role would) and
 * hands messages over in small batches. The pending batch is bounded; past it, messages are dropped and
 * counted, as the hub does for a slow socket.
 */
import { sessionCredential } from '../auth/open-connections'
import type { FastifyInstance } from 'fastify'
import type { LiveBridgeState, LiveMessage } from '../../shared/contract'

export const LIVE_BATCH_MS = 50
export const MAX_PENDING_LIVE = 10_000
/** Close code meaning "the session is not (or no longer) valid": the page returns to login. */
export const UNAUTHORIZED_CLOSE = 4401

export interface LiveSink {
  messages(batch: LiveMessage[]): void
  state(state: LiveBridgeState): void
}

export interface LiveBridge {
  /** Starts a subscription for a session token; returns the function that ends it. */
  subscribe(token: string, sink: LiveSink): () => void
  stats(): { subscriptions: number; dropped: number }
}

type Deps = Pick<FastifyInstance, 'auth' | 'live' | 'connections'>

export function createLiveBridge(app: Deps, opts: { batchMs?: number } = {}): LiveBridge {
  const batchMs = opts.batchMs ?? LIVE_BATCH_MS
  let subscriptions = 0
  let dropped = 0

  const userOf = (token: string) => {
    const p = app.auth.resolveSession(token)
    return p?.kind === 'user' ? p : null
  }

  return {
    subscribe(token, sink) {
      const user = userOf(token)
      if (!user) {
        sink.state({ state: 'closed', code: UNAUTHORIZED_CLOSE, reason: 'Session expired: sign in again' })
        return () => {}
      }
      let pending: LiveMessage[] = []
      let timer: ReturnType<typeof setTimeout> | null = null
      let closed = false
      const flush = () => {
        timer = null
        if (closed || pending.length === 0) return
        const batch = pending
        pending = []
        sink.messages(batch)
      }
      const unsubscribe = app.live.subscribe({ username: user.username, role: user.role }, (msg) => {
        if (closed) return
        if (pending.length >= MAX_PENDING_LIVE) {
          dropped++
          return
        }
        pending.push(msg)
        timer ??= setTimeout(flush, batchMs)
      })
      subscriptions++
      const close = (state?: LiveBridgeState) => {
        if (closed) return
        closed = true
        subscriptions--
        unsubscribe()
        untrack()
        if (timer) clearTimeout(timer)
        if (state) sink.state(state)
      }
      // Ended the moment its session is (sign-out, expiry, user deleted or demoted, new password).
      const untrack = app.connections.track(sessionCredential(user), (code, reason) =>
        close({ state: 'closed', code, reason: `Session ended (${reason}): sign in again` }),
      )
      sink.state({ state: 'open' })
      sink.messages([
        { type: 'hello', serverTime: Date.now(), user: { username: user.username, role: user.role } },
      ])
      return () => close()
    },
    stats: () => ({ subscriptions, dropped }),
  }
}
