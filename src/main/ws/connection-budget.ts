/**
 * Separate budgets for the connections people open, so that one of them cannot lock the others out:
 * UI live channels and video viewers each have a station-wide limit and caps per user and per client
 * address. Device sockets have their own budget (STATION_WS_MAX, counted over device sockets only), so
 * devices are never refused because of viewers or desks.
 *
 * A connection is checked before its upgrade (a clear 429/503) and takes its place once open; `take`
 * is the authority (two upgrades racing past the check cannot both win the last place).
 */
import { StationError } from '../server/errors'

export interface BudgetLimits {
  /** Across the station. */
  max: number
  perUser: number
  perIp: number
}

/** Live channels: a desk holds one per window. An address may hold more than one user does (a shared desk). */
export const LIVE_LIMITS: BudgetLimits = { max: 500, perUser: 20, perIp: 40 }
/** Video viewers: a 16-tile wall with fullscreen and a second window fits with room to spare. */
export const VIEWER_PER_USER = 64
export const VIEWER_PER_IP = 128

const RETRY_AFTER = '5'

export class ConnectionBudget {
  private total = 0
  private readonly byUser = new Map<string, number>()
  private readonly byIp = new Map<string, number>()

  constructor(
    readonly what: string,
    private readonly limits: BudgetLimits,
  ) {}

  /** The error this connection would get, or undefined when it fits. */
  refusal(user: string, ip: string): StationError | undefined {
    if ((this.byUser.get(user) ?? 0) >= this.limits.perUser) {
      return this.tooMany(`This user already holds ${this.limits.perUser} ${this.what}`, 429)
    }
    if ((this.byIp.get(ip) ?? 0) >= this.limits.perIp) {
      return this.tooMany(`This address already holds ${this.limits.perIp} ${this.what}`, 429)
    }
    if (this.total >= this.limits.max) {
      return this.tooMany(`The station serves at most ${this.limits.max} ${this.what}`, 503)
    }
    return undefined
  }

  /** Takes a place (the release function), or answers why not. */
  take(user: string, ip: string): { release: () => void } | { refused: StationError } {
    const refused = this.refusal(user, ip)
    if (refused) return { refused }
    this.total++
    bump(this.byUser, user, 1)
    bump(this.byIp, ip, 1)
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        this.total--
        bump(this.byUser, user, -1)
        bump(this.byIp, ip, -1)
      },
    }
  }

  get size(): number {
    return this.total
  }

  private tooMany(message: string, status: 429 | 503): StationError {
    return new StationError(status, 'TOO_MANY_CONNECTIONS', message, { 'retry-after': RETRY_AFTER })
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by
  if (n <= 0) map.delete(key)
  else map.set(key, n)
}
