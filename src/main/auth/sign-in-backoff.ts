/**
 * Per-username slow-down for failed sign-ins. Failures against one username, from any address, make the
 * next attempts for it wait a growing delay and run one at a time, so guessing one account is slow
 * whatever the number of addresses; yet a correct password is never refused because someone else guessed
 * wrong: it only waits its turn. (Refusing per username would let anyone on the LAN lock the admin out.)
 *
 * - The first FREE_FAILURES failures cost nothing; after that each attempt takes a slot `delay` after the
 *   previous one, the delay doubling per failure up to MAX_DELAY_MS.
 * - An address that itself failed against the username recently gets 429 instead of a slot more than
 *   MAX_QUEUE_MS away (it is the one guessing); any other address waits, up to HARD_MAX_QUEUE_MS.
 * - Failures are forgotten FORGET_AFTER_MS after the last one, and at once after a success.
 */
export const FREE_FAILURES = 3
export const BASE_DELAY_MS = 250
export const MAX_DELAY_MS = 20_000
export const MAX_QUEUE_MS = 30_000
export const HARD_MAX_QUEUE_MS = 90_000
export const FORGET_AFTER_MS = 15 * 60_000
const MAX_TRACKED = 10_000

interface UserState {
  failures: number
  lastFailureAt: number
  /** When the next attempt may start. */
  nextSlotAt: number
  /** Addresses that failed against this username, with when. */
  failedFrom: Map<string, number>
}

export type Admission = { waitMs: number } | { refusedForMs: number }

export class SignInBackoff {
  private readonly users = new Map<string, UserState>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Decides when an attempt for `username` from `ip` may run: after `waitMs`, or refused (429). */
  admit(username: string, ip: string): Admission {
    const s = this.state(username)
    if (!s || s.failures < FREE_FAILURES) return { waitMs: 0 }
    const now = this.now()
    const start = Math.max(now, s.nextSlotAt)
    const waitMs = start - now
    const guessing = s.failedFrom.has(ip)
    if (waitMs > HARD_MAX_QUEUE_MS || (guessing && waitMs > MAX_QUEUE_MS)) return { refusedForMs: waitMs }
    s.nextSlotAt = start + this.delay(s.failures)
    return { waitMs }
  }

  failed(username: string, ip: string): void {
    const now = this.now()
    let s = this.state(username)
    if (!s) {
      if (this.users.size >= MAX_TRACKED) this.users.delete(this.users.keys().next().value!)
      s = { failures: 0, lastFailureAt: now, nextSlotAt: now, failedFrom: new Map() }
      this.users.set(username, s)
    }
    s.failures++
    s.lastFailureAt = now
    s.failedFrom.delete(ip)
    s.failedFrom.set(ip, now)
    if (s.failedFrom.size > 100) s.failedFrom.delete(s.failedFrom.keys().next().value!)
  }

  succeeded(username: string): void {
    this.users.delete(username)
  }

  failures(username: string): number {
    return this.state(username)?.failures ?? 0
  }

  private delay(failures: number): number {
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, failures - FREE_FAILURES))
  }

  private state(username: string): UserState | undefined {
    const s = this.users.get(username)
    if (s && this.now() - s.lastFailureAt > FORGET_AFTER_MS) {
      this.users.delete(username)
      return undefined
    }
    return s
  }
}
