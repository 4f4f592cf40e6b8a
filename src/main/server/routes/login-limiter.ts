/**
 * Limits on failed sign-ins (and failed current-password checks): a hard limit per client IP, counted
 * with @fastify/rate-limit's store, and a growing slow-down per username (auth/sign-in-backoff.ts) that
 * never refuses a correct password from an address that has not been guessing. Only failures count, so a
 * guard desk that signs in often is never slowed by its own successes; attempts still being verified
 * count too, so a burst of parallel guesses cannot slip past the limit while scrypt runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { StationError } from '../errors'
import { SignInBackoff } from '../../auth/sign-in-backoff'

export const LOGIN_FAILURES_PER_IP = 5
const WINDOW_MS = 60_000

const tooMany = (retrySeconds: number) =>
  new StationError(429, 'RATE_LIMITED', `Too many failed sign-in attempts; retry in ${retrySeconds} s`, {
    'retry-after': String(retrySeconds),
  })

type Limiter = ReturnType<FastifyInstance['createRateLimit']>

export class LoginLimiter {
  private readonly byIp: Limiter
  readonly byUser = new SignInBackoff()
  /** Attempts being verified right now, per client IP (entries removed when they reach 0). */
  private readonly inflight = new Map<string, number>()

  constructor(app: FastifyInstance) {
    this.byIp = app.createRateLimit({
      timeWindow: WINDOW_MS,
      allowList: () => false,
      max: LOGIN_FAILURES_PER_IP,
      keyGenerator: (req) => `login-ip:${req.ip}`,
    })
  }

  /**
   * Runs `attempt` unless the IP has too many recent failures (429 with Retry-After); while the username
   * has failures, waits its turn first. `isFailure` tells which errors count as a failed attempt.
   */
  async guard<T>(
    req: FastifyRequest,
    username: string,
    attempt: () => Promise<T>,
    isFailure: (err: unknown) => boolean,
  ): Promise<T> {
    const user = username.normalize('NFKC').toLowerCase()
    const ip = await this.byIp(req, { increment: false })
    // isAllowed means allow-listed (never, here): otherwise the store's counts apply.
    if (!ip.isAllowed && ip.max - ip.remaining + (this.inflight.get(ip.key) ?? 0) >= ip.max) {
      throw tooMany(Math.max(1, ip.ttlInSeconds))
    }
    const turn = this.byUser.admit(user, req.ip)
    if ('refusedForMs' in turn) throw tooMany(Math.max(1, Math.ceil(turn.refusedForMs / 1000)))
    this.inflight.set(ip.key, (this.inflight.get(ip.key) ?? 0) + 1)
    try {
      if (turn.waitMs > 0) await sleep(turn.waitMs)
      const result = await attempt()
      this.byUser.succeeded(user)
      return result
    } catch (err) {
      if (isFailure(err)) {
        this.byUser.failed(user, req.ip)
        await this.byIp(req)
      }
      throw err
    } finally {
      const n = (this.inflight.get(ip.key) ?? 1) - 1
      if (n <= 0) this.inflight.delete(ip.key)
      else this.inflight.set(ip.key, n)
    }
  }
}
