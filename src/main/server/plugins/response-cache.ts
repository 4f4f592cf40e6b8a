/**
 * The API response cache as a Fastify concern. Routes opt in with `config: { cache: { ttlMs } }`:
 * on a hit the stored serialized body is answered from `onRequest` (after auth and the rate limit)
 * with `X-Cache: HIT` and `X-Cache-Age`, and the handler never runs; on a miss the 200 body is stored
 * in `onSend`, before compression. Only opted-in GET routes carry these hooks, so others pay nothing.
 *
 * It subscribes to the domain event stream: each committed fact names the tables it made stale
 * (`tablesOf`), and their path prefixes are invalidated synchronously, before the write is acknowledged.
 *
 * A route may opt in only if its answer depends on nothing but the path, the query and the caller's
 * role, and its access rule is `config.auth` alone: hits skip validation and pre-handler hooks. Its
 * data must be written only through writes that publish a fact whose tables (tablesOf) reach INVALIDATES.
 */
import fp from 'fastify-plugin'
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  onSendHookHandler,
} from 'fastify'
import { ResponseCache, cacheKey, pathOf, type CachedResponse } from '../../cache/response-cache'
import { writeHit } from '../../cache/hit-response'
import { DEFAULT_CACHE_CONTROL } from './http'
import type { Table } from '../../services'
import type { DomainEvent } from '../../../shared/events/domain-events'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Opt in to the response cache; ttlMs defaults to the configured cache TTL. */
    cache?: { ttlMs?: number }
  }
  interface FastifyRequest {
    responseCacheKey: string | null
    responseCacheGen: number
  }
  interface FastifyInstance {
    responseCache: ResponseCache
  }
}

/** Which cached path prefixes a committed change to each table makes stale. */
export const INVALIDATES: Record<Table, readonly string[]> = {
  cameras: ['/api/cameras', '/api/stream'],
  areas: ['/api/areas', '/api/cameras', '/api/v1/devices'],
  devices: ['/api/v1/devices'],
  sensors: ['/api/v1/devices'],
  readings: ['/api/v1/devices'],
  buzzer_requests: ['/api/v1/buzzer'],
  events: ['/api/events'],
  users: ['/api/users'],
  settings: ['/api/settings'],
}

/** The tables whose cached answers a committed fact makes stale. */
export function tablesOf(e: DomainEvent): readonly Table[] {
  switch (e.type) {
    case 'reading.committed':
      return e.newDevices.length > 0 ? ['readings', 'sensors', 'devices'] : ['readings', 'sensors']
    case 'device.presence':
      return e.change === 'online' || e.change === 'offline' ? ['devices'] : []
    case 'device.changed':
      return e.change === 'deleted' ? ['devices', 'sensors', 'readings'] : ['devices']
    case 'camera.health':
    case 'camera.changed':
      return ['cameras']
    case 'buzzer.status':
      return ['buzzer_requests']
    case 'event.recorded':
    case 'event.acknowledged':
    case 'event.linked':
      return ['events']
    case 'area.changed':
      return e.change === 'deleted' ? ['areas', 'cameras', 'devices'] : ['areas']
    case 'user.changed':
      return ['users']
    case 'session.ended':
      return []
    case 'settings.changed':
      return ['settings']
    // Recording answers are not cached (a segment is indexed every few seconds per camera), nor alarm
    // answers (the console follows them live).
    case 'camera.motion':
    case 'camera.zone-motion':
    case 'motion.changed':
    case 'recording.segment':
    case 'recording.deleted':
    case 'recording.state':
    case 'alarm.changed':
    case 'area.arming':
      return []
  }
}

/**
 * Answers a hit straight onto the socket, without running serialization or the onSend hooks again for
 * every hit. onResponse hooks (metrics) still run: Fastify wires them before the route runs. Requests
 * from the HTTP server usually never get here: the hit lane (../hit-lane.ts) answers them first.
 */
function sendHit(req: FastifyRequest, reply: FastifyReply, hit: CachedResponse): void {
  reply.hijack()
  writeHit(reply.raw, req.headers['accept-encoding'], hit, reply.elapsedTime)
}

type Hook<T> = T | T[] | undefined
const list = <T>(h: Hook<T>): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h])

const JSON_TYPE = 'application/json; charset=utf-8'

function roleOf(req: FastifyRequest): string {
  const p = req.principal
  if (p === null) return 'anon'
  return p.kind === 'user' ? p.role : 'device'
}

export default fp(
  async (app) => {
    const cache = new ResponseCache({
      maxEntries: app.config.cache.maxEntries,
      defaultTtlMs: app.config.cache.defaultTtlMs,
    })
    app.decorate('responseCache', cache)
    app.metrics.provide('responseCache', () => cache.stats())
    app.decorateRequest('responseCacheKey', null)
    app.decorateRequest('responseCacheGen', 0)

    app.addHook('onRoute', (route) => {
      const opt = route.config?.cache
      if (!opt || route.method !== 'GET') return
      const ttlMs = opt.ttlMs ?? cache.defaultTtlMs

      function onRequest(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
        const key = cacheKey('GET', req.url, roleOf(req))
        if (key === undefined) return done()
        const hit = cache.get(key)
        if (hit !== undefined) {
          sendHit(req, reply, hit)
          return
        }
        req.responseCacheKey = key
        req.responseCacheGen = cache.generation
        reply.header('x-cache', 'MISS')
        done()
      }

      function onSend(
        req: FastifyRequest,
        reply: FastifyReply,
        payload: unknown,
        done: (err: null, payload: unknown) => void,
      ) {
        const key = req.responseCacheKey
        if (
          key !== null &&
          reply.statusCode === 200 &&
          (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
          !reply.hasHeader('set-cookie')
        ) {
          const type = reply.getHeader('content-type')
          const cacheControl = reply.getHeader('cache-control')
          cache.set(
            key,
            {
              body: payload,
              contentType: typeof type === 'string' ? type : JSON_TYPE,
              cacheControl: typeof cacheControl === 'string' ? cacheControl : DEFAULT_CACHE_CONTROL,
              path: pathOf(req.url),
              route: req.routeOptions.url ?? pathOf(req.url),
            },
            ttlMs,
            req.responseCacheGen,
          )
        }
        done(null, payload)
      }

      // After auth and the rate limit (both run earlier in onRequest); before compression in onSend.
      route.onRequest = [...list(route.onRequest), onRequest as onRequestHookHandler]
      route.onSend = [onSend as onSendHookHandler, ...list(route.onSend)]
    })

    // The HTTP server's hit lane answers hits from the moment the app is ready until it starts closing.
    const lane = app.hitLane
    app.addHook('onReady', (done) => {
      lane.attach({
        cache,
        resolveSession: (token) => app.auth.resolveSession(token),
        record: (route, status, ms) => app.metrics.record('GET', route, status, ms),
        log: app.log,
      })
      done()
    })
    app.addHook('preClose', (done) => {
      lane.detach()
      done()
    })

    const offDomain = app.domainEvents.onAny('response-cache', (e) => {
      for (const t of tablesOf(e)) for (const p of INVALIDATES[t] ?? []) cache.invalidate(p)
    })
    app.addHook('onClose', async () => {
      offDomain()
      cache.clear()
    })
  },
  {
    name: 'station-response-cache',
    dependencies: ['station-domain-events', 'station-database', 'station-auth', 'station-metrics'],
  },
)
