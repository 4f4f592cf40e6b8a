/**
 * Hard limits on failed sign-ins (and failed current-password checks), per client IP and per username,
 * counted with @fastify/rate-limit's store. Only failures count, so a guard desk that signs in often is
 * never locked out by its own successes; attempts still being verified count too, so a burst of
 * parallel guesses cannot slip past the limit while scrypt runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { StationError } from '../errors'

export const LOGIN_FAILURES_PER_IP = 5
export const LOGIN_FAILURES_PER_USER = 10
const WINDOW_MS = 60_000

type Limiter = ReturnType<FastifyInstance['createRateLimit']>

export class LoginLimiter {
  private readonly byIp: Limiter
  private readonly byUser: Limiter
  /** Attempts being verified right now, per limiter key (entries removed when they reach 0). */
  private readonly inflight = new Map<string, number>()
  private readonly names = new WeakMap<FastifyRequest, string>()

  constructor(app: FastifyInstance) {
    const common = { timeWindow: WINDOW_MS, allowList: () => false }
    this.byIp = app.createRateLimit({
      ...common,
      max: LOGIN_FAILURES_PER_IP,
      keyGenerator: (req) => `login-ip:${req.ip}`,
    })
    this.byUser = app.createRateLimit({
      ...common,
      max: LOGIN_FAILURES_PER_USER,
      keyGenerator: (req) => `login-user:${this.names.get(req) ?? ''}`,
    })
  }

  /**
   * Runs `attempt` unless the IP or the username has too many recent failures (429 with Retry-After).
   * `isFailure` tells which errors count as a failed attempt.
   */
  async guard<T>(
    req: FastifyRequest,
    username: string,
    attempt: () => Promise<T>,
    isFailure: (err: unknown) => boolean,
  ): Promise<T> {
    this.names.set(req, username.normalize('NFKC').toLowerCase())
    const states = await Promise.all([
      this.byIp(req, { increment: false }),
      this.byUser(req, { increment: false }),
    ])
    const keys: string[] = []
    for (const s of states) {
      keys.push(s.key)
      if (s.isAllowed) continue
      const failures = s.max - s.remaining
      if (failures + (this.inflight.get(s.key) ?? 0) >= s.max) {
        const retry = Math.max(1, s.ttlInSeconds)
        throw new StationError(429, 'RATE_LIMITED', `Too many failed sign-in attempts; retry in ${retry} s`, {
          'retry-after': String(retry),
        })
      }
    }
    for (const k of keys) this.inflight.set(k, (this.inflight.get(k) ?? 0) + 1)
    try {
      return await attempt()
    } catch (err) {
      if (isFailure(err)) await Promise.all([this.byIp(req), this.byUser(req)])
      throw err
    } finally {
      for (const k of keys) {
        const n = (this.inflight.get(k) ?? 1) - 1
        if (n <= 0) this.inflight.delete(k)
        else this.inflight.set(k, n)
      }
    }
  }
}
