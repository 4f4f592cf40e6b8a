/**
 * `GET /api/audit` (admins): the audit log, newest first, filtered by time, actor and action, paged; with
 * `?format=csv` every matching entry, oldest first, as a CSV download. Read-only: there is no route that
 * changes or removes an entry (other methods on /api/audit answer 405).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../shared/schemas/common'
import { AuditPage, AuditQuery, MAX_AUDIT_EXPORT, type AuditEntry } from '../../shared/schemas/audit'
import { auditCsv, auditCsvFilename } from '../../shared/audit-csv'
import { errors } from '../server/errors'
import type { AuditFilter } from './audit-read-queries'
import type { AuditRow } from './audit-repository'

const FAR_FUTURE = 8_640_000_000_000_000

function parse(json: string | null): unknown {
  if (json === null) return null
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}

export function toEntry(r: AuditRow): AuditEntry {
  const { beforeJson, afterJson, actorKind, ...rest } = r
  return {
    ...rest,
    actorKind: actorKind as AuditEntry['actorKind'],
    before: parse(beforeJson),
    after: parse(afterJson),
  }
}

export function filterOf(q: AuditQuery): AuditFilter {
  const from = q.from ?? 0
  const to = q.to ?? FAR_FUTURE
  if (from > to) throw errors.badRequest('`from` is after `to`')
  const prefix = q.action?.endsWith('.*') ? q.action.slice(0, -1) : null
  return {
    from,
    to,
    actor: q.actor ?? null,
    action: prefix === null ? (q.action ?? null) : null,
    actionPrefix: prefix === null ? null : `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  }
}

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log: every operator action (admins; read-only)',
        description:
          'Newest first, `limit` entries from `offset`, with `total` matching the filter. `action` is exact ' +
          '(`camera.update`) or a domain (`camera.*`); `actor` a username or device id. `format=csv` answers ' +
          `every matching entry oldest first (at most ${MAX_AUDIT_EXPORT}) as text/csv with a file name. ` +
          'Entries are never changed or removed through the API; each carries the hash chaining it to the ' +
          'previous one (docs/audit.md).',
        querystring: AuditQuery,
        response: { 200: Ok(AuditPage) },
      },
    },
    async (req, reply) => {
      const q = req.query
      const filter = filterOf(q)
      reply.header('cache-control', 'no-store')
      if (q.format === 'csv') {
        const rows = await app.reads.run('audit.export', { ...filter, limit: MAX_AUDIT_EXPORT })
        const name = auditCsvFilename(q.from, q.to, Date.now())
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}"`)
            // Text, not the JSON envelope: the response schema covers the JSON answer only.
            .send(auditCsv(rows.map(toEntry)) as never)
        )
      }
      const [rows, count] = await Promise.all([
        app.reads.run('audit.list', { ...filter, limit: q.limit ?? 100, offset: q.offset ?? 0 }),
        app.reads.run('audit.count', filter),
      ])
      return { success: true as const, data: { entries: rows.map(toEntry), total: count.total } }
    },
  )
}

export default auditRoutes
