/** When the screen warns that the guard's sign-in is about to end, and what it can offer. */
import type { SessionEnds } from '../../../shared/contract'

export type SessionWarning =
  | { kind: 'none' }
  /** Nothing was done for a while: "Stay signed in" gives it more time. */
  | { kind: 'idle'; endsAt: number; leftMs: number }
  /** The longest sign-in ends it: staying signed in cannot. */
  | { kind: 'longest'; endsAt: number; leftMs: number }

export function sessionWarning(ends: SessionEnds | null, now: number): SessionWarning {
  if (!ends || now < ends.expiresAt - ends.warnMs) return { kind: 'none' }
  const leftMs = Math.max(0, ends.expiresAt - now)
  return ends.expiresAt >= ends.maxExpiresAt
    ? { kind: 'longest', endsAt: ends.expiresAt, leftMs }
    : { kind: 'idle', endsAt: ends.expiresAt, leftMs }
}

/** "2 min 5 s", "40 s". */
export function timeLeft(ms: number): string {
  const s = Math.ceil(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
}
