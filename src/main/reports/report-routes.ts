/**
 * `GET /api/reports/handover` (guards): the shift handover report of a time range, as a printable
 * self-contained HTML page or a PDF. Both are copies of alarm details and pictures that can leave the
 * station, so both are audited as `report.export`. A stream token (`?token=`) opens it too, so a desk
 * can open it in a new tab or download it with a plain link.
 */
import { hostname } from 'node:os'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HandoverQuery } from '../../shared/schemas/reports'
import { AreasRepository } from '../areas/areas-repository'
import { handoverData } from './handover-data'
import { handoverHtml } from './handover-html'
import { handoverPdf } from './handover-pdf'
import { resolveReportRange } from './report-range'

export interface ReportRoutesOptions {
  /** The site's time zone, asked per request (default: the machine's). */
  siteTimeZone?: () => string
  stationName?: string
}

/** The HTML page fetches nothing and runs nothing: its styles and pictures are inline. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const file = (mime: string, what: string) => ({
  [mime]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: what }) },
})

const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, opts) => {
  const siteTimeZone = opts.siteTimeZone ?? (() => Intl.DateTimeFormat().resolvedOptions().timeZone)
  const station = opts.stationName ?? `Guard Station ${hostname()}`
  const areas = new AreasRepository(app.db)
  const { repo, dir } = app.alarms.snapshots

  app.get(
    '/api/reports/handover',
    {
      config: { auth: 'guard', tokenScope: 'stream', audit: 'report.export' },
      schema: {
        tags: ['reports'],
        summary:
          'The shift handover report (default: the last 12 hours): alarms with their notes, pictures and outcome, arming changes',
        querystring: Type.Object(
          {
            ...HandoverQuery.properties,
            token: Type.Optional(
              Type.String({ maxLength: 200, description: 'Stream token (POST /api/v1/stream/token)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The report',
            content: {
              ...file('text/html', 'a self-contained HTML page'),
              ...file('application/pdf', 'a PDF document'),
            },
          },
        },
      },
    },
    async (req, reply) => {
      const range = resolveReportRange(req, req.query, siteTimeZone())
      const data = await handoverData(
        {
          reads: app.reads,
          station,
          cameraNames: () => new Map(app.cameras.list('admin').map((c) => [c.id, c.name])),
          areaNames: () => new Map(areas.list().map((a) => [a.id, a.name])),
          snapshot: (alarmId, cameraId) => repo.file(alarmId, cameraId),
          snapshotDir: dir,
        },
        range,
      )
      const name = `shift-report-${new Date(range.to).toISOString().slice(0, 16).replace(/[:T]/g, '-')}`
      reply.header('cache-control', 'private, no-store')
      if (range.format === 'pdf') {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(await handoverPdf(data))
      }
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', REPORT_CSP)
        .header('content-disposition', `inline; filename="${name}.html"`)
        .send(Buffer.from(handoverHtml(data), 'utf8'))
    },
  )
}

export default reportRoutes
