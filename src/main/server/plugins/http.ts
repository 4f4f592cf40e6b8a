/**
 * HTTP plumbing: response compression above 1 KiB (@fastify/compress), a `Cache-Control` default that
 * keeps the station's private data out of every cache (a route may set its own), and the table of
 * registered routes (for the route-auth walk and tools).
 */
import fp from 'fastify-plugin'
import type { FastifySchema } from 'fastify'
import compress from '@fastify/compress'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { errorBody } from '../errors'
import type { AuthPolicy } from './auth'
import { COMPRESS_THRESHOLD } from '../../cache/hit-response'

export interface RouteEntry {
  method: string
  url: string
  /** The declared policy; undefined means admin-only (closed by default). */
  auth: AuthPolicy | undefined
  websocket: boolean
  /** The route's schema object as declared (params, querystring, body, response, docs). */
  schema: FastifySchema | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the HTTP plugin (all of the station's routes). */
    routeTable: readonly RouteEntry[]
  }
}

export { COMPRESS_THRESHOLD }
/** Answers are per-user, live data: no shared cache may keep them, and browsers need not either. */
export const DEFAULT_CACHE_CONTROL = 'private, no-store'

export default fp(
  async (app) => {
    const routes: RouteEntry[] = []
    app.decorate('routeTable', routes)
    // The same paths again, to tell an unknown path (404) from a known one asked with the wrong method (405).
    const paths = FindMyWay({ ignoreTrailingSlash: true })
    const methods = new Set<string>()
    app.addHook('onRoute', (r) => {
      for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
        if (!paths.hasRoute(method as HTTPMethod, r.url)) paths.on(method as HTTPMethod, r.url, () => {})
        methods.add(method)
        routes.push({
          method,
          url: r.url,
          auth: r.config?.auth,
          websocket: (r as { websocket?: boolean }).websocket === true,
          schema: r.schema,
        })
      }
    })

    await app.register(compress, {
      global: true,
      threshold: COMPRESS_THRESHOLD,
      encodings: ['br', 'gzip', 'deflate'],
      // Request bodies stay plain: devices send small JSON, and inflating them would bypass the body limit's intent.
      globalDecompression: false,
    })

    app.addHook('onSend', (_req, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', DEFAULT_CACHE_CONTROL)
      done(null, payload)
    })

    app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => {
      const path = req.url.split('?')[0]!
      const allowed = [...methods].filter((m) => paths.find(m as HTTPMethod, path) !== null)
      if (allowed.length > 0) {
        return reply
          .code(405)
          .header('allow', allowed.join(', '))
          .send(
            errorBody(
              405,
              `${req.method} is not allowed on ${path}; use ${allowed.join(', ')}`,
              'METHOD_NOT_ALLOWED',
            ),
          )
      }
      reply.code(404).send(errorBody(404, `No route ${req.method} ${path}`, 'NO_ROUTE'))
    })
  },
  { name: 'station-http', dependencies: ['station-auth'] },
)
