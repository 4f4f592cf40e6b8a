/**
 * HTTP plumbing: response compression above 1 KiB (@fastify/compress), a `Cache-Control` default that
 * keeps the station's private data out of every cache (a route may set its own), and the table of
 * registered routes (for the route-auth walk and tools).
 */
import fp from 'fastify-plugin'
import type { FastifySchema } from 'fastify'
import compress from '@fastify/compress'
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
    app.addHook('onRoute', (r) => {
      for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
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
  },
  { name: 'station-http', dependencies: ['station-auth'] },
)
