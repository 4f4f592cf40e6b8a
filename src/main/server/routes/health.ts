import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Ok } from '../../../shared/schemas/common'

const startedAt = Date.now()

/** `GET /api/health`: no authentication, says whether the station serves and its database is usable. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ping = app.db.prepare('SELECT 1')
  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['station'],
        summary: 'Liveness and database check (no authentication)',
        response: {
          200: Ok(
            Type.Object({
              status: Type.Literal('ok'),
              uptimeSeconds: Type.Number(),
              database: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')]),
              serverTime: Type.Integer(),
            }),
          ),
        },
      },
    },
    async (_req, reply) => {
      ping.get()
      reply.header('cache-control', 'no-store')
      return {
        success: true as const,
        data: {
          status: 'ok' as const,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          database: app.config.useDb ? ('sqlite' as const) : ('memory' as const),
          serverTime: Date.now(),
        },
      }
    },
  )
}

export default healthRoutes
