/**
 * The hit lane: the station's HTTP server answers a response-cache hit for a signed-in user before the
 * request enters Fastify, as a caching proxy in front of the app would, without the proxy. Everything
 * else (no or unknown token, device credentials, misses, other methods, a closing station) goes to
 * Fastify unchanged.
 *
 * Why this is safe: the response cache only admits routes whose access rule is `config.auth` alone
 * (see plugins/response-cache.ts), and its key holds the caller's role. An entry for role R exists only
 * because a request from a user with role R passed the route's policy, so any valid session with role R
 * passes it too. The other onRequest hooks have nothing to refuse here: the origin check lets GET
 * through, and the rate limit exempts signed-in users. The hit is counted in the cache's stats and the
 * route's response-time metrics like any other.
 */
import { setSecurityHeaders } from './security-headers'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { FastifyBaseLogger, FastifyServerFactory } from 'fastify'
import { DEVICE_KEY_HEADER } from '../../shared/constants'
import { cacheKey, type ResponseCache } from '../cache/response-cache'
import { writeHit } from '../cache/hit-response'
import type { Principal } from './plugins/auth'
import { logs } from './access-log'

export interface HitLaneTarget {
  cache: ResponseCache
  /** A session token's principal, or null (expired, revoked, unknown). */
  resolveSession(token: string): Principal | null
  /** Counts a served answer in the route metrics. */
  record(route: string, statusCode: number, ms: number): void
  /** The access log (answers are logged at debug, as access-log.ts does). */
  log: FastifyBaseLogger
}

export interface ServerTimeouts {
  keepAliveTimeout: number
  requestTimeout: number
  connectionTimeout: number
}

export class HitLane {
  private target: HitLaneTarget | undefined
  private served = 0

  /** Starts answering hits (once the app is ready). */
  attach(target: HitLaneTarget): void {
    this.target = target
  }

  /** Stops answering hits: from now on every request goes to Fastify (which answers 503 while closing). */
  detach(): void {
    this.target = undefined
  }

  /** Hits answered by the lane since start. */
  get hits(): number {
    return this.served
  }

  /** Answers the request if it is a hit for a signed-in user; false when Fastify must handle it. */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean {
    const t = this.target
    if (t === undefined || req.method !== 'GET') return false
    const authz = req.headers.authorization
    // Device credentials take precedence in the auth plugin: leave those requests to it.
    if (
      typeof authz !== 'string' ||
      !authz.startsWith('Bearer ') ||
      req.headers[DEVICE_KEY_HEADER] !== undefined
    )
      return false
    const started = performance.now()
    const principal = t.resolveSession(authz.slice(7).trim())
    if (principal === null || principal.kind !== 'user') return false
    const key = cacheKey('GET', req.url ?? '', principal.role)
    if (key === undefined) return false
    const hit = t.cache.getIfPresent(key)
    if (hit === undefined) return false
    writeHit(res, req.headers['accept-encoding'], hit, performance.now() - started)
    const ms = performance.now() - started
    t.record(hit.route, 200, ms)
    if (logs(t.log, 'debug'))
      t.log.debug(
        { req: { method: 'GET', url: req.url }, res: { statusCode: 200 }, responseTime: ms, cache: 'lane' },
        'request completed',
      )
    this.served++
    return true
  }

  /**
   * A `serverFactory` for Fastify: a plain HTTP server whose request listener tries the lane first, with
   * the timeouts Fastify would set on a server it created itself.
   */
  serverFactory(timeouts: ServerTimeouts): FastifyServerFactory {
    return (handler) => {
      const server = http.createServer((req, res) => {
        setSecurityHeaders(res)
        if (!this.tryServe(req, res)) handler(req, res)
      })
      server.keepAliveTimeout = timeouts.keepAliveTimeout
      server.requestTimeout = timeouts.requestTimeout
      server.setTimeout(timeouts.connectionTimeout)
      return server
    }
  }
}
