/** Admin management of the API response cache: stats (with the domain caches), invalidate by prefix, clear. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { CacheStatsSchema } from '../../../shared/schemas/metrics'
import { CacheInvalidateBody, CacheRemoved } from '../../../shared/schemas/station'

const cacheRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = app.responseCache
  const admin = { auth: 'admin' as const }

  app.get(
    '/api/cache/stats',
    {
      config: admin,
      schema: {
        tags: ['cache'],
        summary: 'Response cache and domain cache statistics',
        response: { 200: Ok(CacheStatsSchema) },
      },
    },
    async () => ({ success: true as const, data: { ...cache.stats(), domain: app.domainCaches.stats() } }),
  )

  app.post(
    '/api/cache/invalidate',
    {
      config: { ...admin, audit: 'cache.invalidate' },
      schema: {
        tags: ['cache'],
        summary: 'Drop cached answers whose path starts with the pattern (a trailing * is allowed)',
        body: CacheInvalidateBody,
        response: { 200: Ok(CacheRemoved) },
      },
    },
    async (req) => {
      const prefix = req.body.pattern.replace(/\*+$/, '')
      const count = cache.invalidate(prefix)
      return {
        success: true as const,
        data: {
          count,
          message: `Invalidated ${count} cached ${count === 1 ? 'answer' : 'answers'} under ${prefix}`,
        },
      }
    },
  )

  app.post(
    '/api/cache/clear',
    {
      config: { ...admin, audit: 'cache.clear' },
      schema: { tags: ['cache'], summary: 'Drop every cached answer', response: { 200: Ok(CacheRemoved) } },
    },
    async () => {
      const count = cache.clear()
      return {
        success: true as const,
        data: { count, message: `Cleared ${count} cached ${count === 1 ? 'answer' : 'answers'}` },
      }
    },
  )
}

export default cacheRoutes
