import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { Health } from '../../../shared/schemas/station'
import { auditHealth } from '../../audit/chain-check'

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
        summary: 'Liveness, database and storage check (no authentication)',
        response: { 200: Ok(Health) },
      },
    },
    async (_req, reply) => {
      ping.get()
      reply.header('cache-control', 'no-store')
      const s = app.storage.state()
      const storage = {
        state: s.state,
        ...(s.message !== undefined ? { message: s.message } : {}),
        ...(s.since !== undefined ? { since: s.since } : {}),
        refusedWrites: s.refusedWrites,
        ...(s.freeBytes !== undefined ? { freeBytes: s.freeBytes } : {}),
        ...(s.startup ? { startupChecks: s.startup.checks, uncleanStop: s.startup.uncleanStop } : {}),
      }
      return {
        success: true as const,
        data: {
          status: storage.state === 'ok' ? ('ok' as const) : ('degraded' as const),
          storage,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          database: app.config.useDb ? ('sqlite' as const) : ('memory' as const),
          serverTime: Date.now(),
          timeZone: app.config.timeZone,
          ...auditHealth(app.audit.chain),
        },
      }
    },
  )
}

export default healthRoutes
