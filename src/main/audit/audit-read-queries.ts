/**
 * The audit log's reads, served by the read pool: `../database/read-queries.ts` spreads them into its
 * catalogue, passing its helpers (this module imports nothing at run time from there: no import cycle).
 * Filters that are not given are null and match everything; `action` is exact, `actionPrefix` a LIKE
 * pattern (`camera.%`).
 */
import type { ReadQuery } from '../database/read-queries'
import { AUDIT_COLUMNS, type AuditRow } from './audit-repository'

export interface AuditFilter {
  from: number
  to: number
  actor: string | null
  action: string | null
  actionPrefix: string | null
}

interface Helpers {
  all: <P, Row>(sql: string) => ReadQuery<P, Row[]>
  one: <P, Row>(sql: string) => ReadQuery<P, Row>
  interruptEvery: (key: string) => string
}

export function auditQueries({ all, one, interruptEvery }: Helpers) {
  const where = `WHERE at BETWEEN @from AND @to
    AND (@actor IS NULL OR actor_name = @actor COLLATE NOCASE)
    AND (@action IS NULL OR action = @action)
    AND (@actionPrefix IS NULL OR action LIKE @actionPrefix ESCAPE '\\')
    AND ${interruptEvery('seq')}`
  return {
    /** A page, newest first. */
    'audit.list': all<AuditFilter & { limit: number; offset: number }, AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
    ),
    'audit.count': one<AuditFilter, { total: number }>(`SELECT count(*) AS total FROM audit_log ${where}`),
    /** Everything matching, oldest first (the CSV export), at most @limit entries. */
    'audit.export': all<AuditFilter & { limit: number }, AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY seq LIMIT @limit`,
    ),
  }
}
