/**
 * Per-client rate limiting (@fastify/rate-limit): at most `RATE_LIMIT_MAX` requests a minute per client
 * IP, with signed-in users and authenticated devices exempt (the seed's "IoT exemptions").
 *
 * The limiter is a route-level `onRequest` hook, so it runs after the station's auth hook (an
 * instance-level `onRequest` hook registered earlier): by then `req.principal` is resolved. Exempt
 * requests skip the limiter entirely (no key, no store), which keeps the hot path for devices and
 * sessions lean. Requests that fail authentication end with 401 before they get here. A route may set
 * `config.rateLimit` to its own limits, or to `false`.
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify'
import { StationError } from '../errors'

export const RATE_LIMIT_WINDOW_MS = 60_000

export function rateLimited(after: string): StationError {
  return new StationError(429, 'RATE_LIMITED', `Too many requests, retry in ${after}`)
}

type Hook<T> = T | T[] | undefined
const list = <T>(h: Hook<T>): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h])

export default fp(
  async (app) => {
    await app.register(rateLimit, {
      // Routes without their own `config.rateLimit` get the hook below; the plugin handles the others.
      global: false,
      max: app.config.rateLimitMax,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      // Bounded: the least recently seen clients are forgotten first.
      cache: 10_000,
      allowList: (req) => req.principal !== null,
      errorResponseBuilder: (_req, ctx) => rateLimited(ctx.after),
    })
    const limit = app.rateLimit()

    function onRequest(
      this: unknown,
      req: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ) {
      if (req.principal !== null) return done()
      limit.call(this as never, req, reply).then(() => done(), done)
    }

    app.addHook('onRoute', (route) => {
      if (route.config?.rateLimit !== undefined) return
      route.onRequest = [...list(route.onRequest), onRequest as onRequestHookHandler]
    })
  },
  { name: 'station-rate-limit', dependencies: ['station-auth', 'station-errors'] },
)
