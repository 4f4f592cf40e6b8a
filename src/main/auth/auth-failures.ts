/**
 * Failed authentication per client IP, on every route and socket upgrade (device keys, device tokens,
 * sessions, stream and camera tokens). Past `maxFailures` within `windowMs` the address is refused with
 * 429 (Retry-After) for `banMs`, before its credentials are even checked: guessing the site key from one
 * address runs at a few tries a minute. Bounded: the least recently failing addresses are forgotten first.
 */
export interface AuthFailureOptions {
  maxFailures: number
  windowMs: number
  banMs: number
  maxTracked: number
}

export const AUTH_FAILURE_DEFAULTS: AuthFailureOptions = {
  maxFailures: 100,
  windowMs: 60_000,
  banMs: 60_000,
  maxTracked: 10_000,
}

interface Entry {
  windowStart: number
  failures: number
  bannedUntil: number
}

export class AuthFailures {
  private readonly byIp = new Map<string, Entry>()
  private bans = 0

  constructor(
    private readonly opts: AuthFailureOptions = AUTH_FAILURE_DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the address is still refused for (0: not refused). */
  refusedFor(ip: string): number {
    const e = this.byIp.get(ip)
    if (!e) return 0
    const left = e.bannedUntil - this.now()
    return left > 0 ? left : 0
  }

  failed(ip: string): void {
    const now = this.now()
    let e = this.byIp.get(ip)
    if (e) this.byIp.delete(ip) // re-inserted last: the map's order is least recently failing first
    if (!e || now - e.windowStart > this.opts.windowMs) e = { windowStart: now, failures: 0, bannedUntil: 0 }
    e.failures++
    if (e.failures >= this.opts.maxFailures && e.bannedUntil <= now) {
      e.bannedUntil = now + this.opts.banMs
      this.bans++
    }
    this.byIp.set(ip, e)
    if (this.byIp.size > this.opts.maxTracked) this.byIp.delete(this.byIp.keys().next().value!)
  }

  stats(): { tracked: number; banned: number; bans: number } {
    const now = this.now()
    let banned = 0
    for (const e of this.byIp.values()) if (e.bannedUntil > now) banned++
    return { tracked: this.byIp.size, banned, bans: this.bans }
  }
}
