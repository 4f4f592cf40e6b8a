/**
 * The Prometheus scrape credential, for admins: `GET /api/settings/metrics-token` (whether one is issued,
 * and the allowed scraper addresses), `POST` (a new metrics token, shown once; the previous one stops
 * working) and `DELETE` (revoke it). The token opens `GET /metrics` and nothing else.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Nullable, Ok } from '../../../shared/schemas/common'
import { errors } from '../errors'
import type { Principal } from '../plugins/auth'

const Status = {
  issued: Type.Boolean({ description: 'Whether a metrics token is issued' }),
  issuedAt: Nullable(Type.Integer({ description: 'Epoch ms the token was issued' })),
  issuedBy: Nullable(Type.String({ description: 'The admin who issued it' })),
}

const MetricsTokenStatus = Type.Object({
  ...Status,
  allow: Type.Array(Type.String(), {
    description: 'Scraper addresses allowed without a token (STATION_METRICS_ALLOW), as address/prefix',
  }),
})

const IssuedMetricsToken = Type.Object({
  token: Type.String({
    description: 'Send as `Authorization: Bearer <token>` to GET /metrics. Shown only once',
  }),
  ...Status,
})

const metricsTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const scrape = app.auth.scrape
  const by = (p: Principal | null) => (p?.kind === 'user' ? p.username : null)

  app.get(
    '/api/settings/metrics-token',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'The Prometheus scrape credential: whether a metrics token is issued, and allowed addresses',
        response: { 200: Ok(MetricsTokenStatus) },
      },
    },
    async () => ({ success: true as const, data: { ...scrape.status(), allow: [...scrape.allow] } }),
  )

  app.post(
    '/api/settings/metrics-token',
    {
      config: { auth: 'admin', audit: 'metrics-token.issue' },
      schema: {
        tags: ['settings'],
        summary: 'Issue a metrics token for Prometheus (shown once; replaces the previous one)',
        description:
          'The token opens GET /metrics only, as `Authorization: Bearer <token>` (in Prometheus: ' +
          '`authorization: { credentials_file: ... }`). It does not expire; revoke it with DELETE.',
        response: { 200: Ok(IssuedMetricsToken) },
      },
    },
    async (req, reply) => {
      const issued = scrape.issue(by(req.principal))
      app.domainEvents.publish({ type: 'settings.changed', keys: ['metricsToken'] })
      req.log.warn({ by: issued.issuedBy }, 'metrics token issued')
      reply.header('cache-control', 'no-store')
      return { success: true as const, data: issued }
    },
  )

  app.delete(
    '/api/settings/metrics-token',
    {
      config: { auth: 'admin', audit: 'metrics-token.revoke' },
      schema: {
        tags: ['settings'],
        summary: 'Revoke the metrics token (scrapers using it are refused from now on)',
        response: { 200: Ok(Type.Object({ revoked: Type.Literal(true) })) },
      },
    },
    async (req) => {
      if (!scrape.revoke()) throw errors.notFound('Metrics token')
      app.domainEvents.publish({ type: 'settings.changed', keys: ['metricsToken'] })
      req.log.warn({ by: by(req.principal) }, 'metrics token revoked')
      return { success: true as const, data: { revoked: true as const } }
    },
  )
}

export default metricsTokenRoutes
