/**
 * The live channel both transports share: opens a connection while a session is set, fans messages out
 * to subscribers, reconnects with capped exponential backoff and jitter, and reports its status (for
 * the "connection lost" banner and its "last updated" time).
 */
import type { LiveMessage } from '../../../shared/contract'
import type { LiveStatus } from './types'

export interface LiveHandlers {
  open(): void
  message(msg: LiveMessage): void
  /** The connection ended (or never opened). `unauthorized`: the station refused the session. */
  closed(info: { reason: string; unauthorized?: boolean }): void
}

/** Opens one live connection for a session; returns the function that closes it. */
export type LiveConnector = (token: string, handlers: LiveHandlers) => () => void

export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
  random?: () => number
  now?: () => number
}

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20))
  // Full range jitter on the upper half: reconnecting desks do not stampede the station together.
  return Math.round(base / 2 + (base / 2) * random)
}

export class LiveChannel {
  private token: string | null = null
  private closeConn: (() => void) | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private generation = 0
  private readonly listeners = new Set<(msg: LiveMessage) => void>()
  private readonly statusListeners = new Set<(s: LiveStatus) => void>()
  private readonly unauthorizedListeners = new Set<() => void>()
  private status: LiveStatus = { state: 'idle', attempt: 0, lastMessageAt: null, retryAt: null, error: null }
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly random: () => number
  private readonly now: () => number

  constructor(
    private readonly connector: LiveConnector,
    opts: BackoffOptions = {},
  ) {
    this.initialMs = opts.initialMs ?? 500
    this.maxMs = opts.maxMs ?? 15_000
    this.random = opts.random ?? Math.random
    this.now = opts.now ?? Date.now
  }

  get current(): LiveStatus {
    return this.status
  }

  setToken(token: string | null): void {
    if (token === this.token) return
    this.token = token
    this.stop()
    if (token) this.connect(0)
    else this.setStatus({ state: 'idle', attempt: 0, retryAt: null, error: null })
  }

  subscribe(listener: (msg: LiveMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener)
    listener(this.status)
    return () => this.statusListeners.delete(listener)
  }

  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener)
    return () => this.unauthorizedListeners.delete(listener)
  }

  close(): void {
    this.token = null
    this.stop()
    this.listeners.clear()
    this.statusListeners.clear()
    this.unauthorizedListeners.clear()
  }

  private stop(): void {
    this.generation++
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const close = this.closeConn
    this.closeConn = null
    close?.()
  }

  private connect(attempt: number): void {
    const token = this.token
    if (!token) return
    const gen = ++this.generation
    const state = this.status.state === 'reconnecting' ? 'reconnecting' : 'connecting'
    this.setStatus({ state, attempt, retryAt: null })
    const current = () => gen === this.generation
    let ended = false
    const close = this.connector(token, {
      open: () => {
        if (!current()) return
        this.setStatus({ state: 'open', attempt: 0, lastMessageAt: this.now(), retryAt: null, error: null })
      },
      message: (msg) => {
        if (!current()) return
        this.status.lastMessageAt = this.now()
        for (const l of this.listeners) l(msg)
      },
      closed: ({ reason, unauthorized }) => {
        if (!current() || ended) return
        ended = true
        this.closeConn = null
        if (unauthorized) {
          this.token = null
          this.setStatus({ state: 'idle', attempt: 0, retryAt: null, error: reason })
          for (const l of this.unauthorizedListeners) l()
          return
        }
        const next = this.status.state === 'open' ? 0 : attempt + 1
        const delay = backoffDelay(next, this.initialMs, this.maxMs, this.random())
        this.setStatus({ state: 'reconnecting', attempt: next, retryAt: this.now() + delay, error: reason })
        this.timer = setTimeout(() => {
          this.timer = null
          if (current()) this.connect(next)
        }, delay)
      },
    })
    if (current() && !ended) this.closeConn = close
  }

  private setStatus(patch: Partial<LiveStatus>): void {
    this.status = { ...this.status, ...patch }
    for (const l of this.statusListeners) l(this.status)
  }
}
