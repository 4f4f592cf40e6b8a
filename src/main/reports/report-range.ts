/**
 * The range, zone and format a report request resolved to (defaults filled in, zone checked), kept per
 * request for its audit entry (`report.export` records what was exported, never the stream token).
 */
import type { FastifyRequest } from 'fastify'
import {
  DEFAULT_REPORT_RANGE_MS,
  MAX_REPORT_RANGE_MS,
  type HandoverFormat,
  type HandoverQuery,
} from '../../shared/schemas/reports'
import { errors } from '../server/errors'

export interface ReportRange {
  from: number
  to: number
  timeZone: string
  format: HandoverFormat
}

const resolved = new WeakMap<object, ReportRange>()

export const reportRangeOf = (req: object): ReportRange | undefined => resolved.get(req)

/** The request's range: `to` now, `from` 12 h before it, unless given; the zone `siteTimeZone` unless given. */
export function resolveReportRange(
  req: FastifyRequest,
  q: HandoverQuery,
  siteTimeZone: string,
  now = Date.now(),
): ReportRange {
  const to = q.to ?? now
  const from = q.from ?? to - DEFAULT_REPORT_RANGE_MS
  if (from >= to) throw errors.badRequest('The start of the report must be before its end')
  if (to - from > MAX_REPORT_RANGE_MS) throw errors.badRequest('A report covers at most 31 days')
  const timeZone = q.timeZone ?? siteTimeZone
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone })
  } catch {
    throw errors.badRequest(`Unknown time zone "${timeZone}"`)
  }
  const range = { from, to, timeZone, format: q.format ?? 'html' }
  resolved.set(req, range)
  return range
}
