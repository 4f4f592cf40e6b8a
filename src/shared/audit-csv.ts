/**
 * The audit log as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a quote,
 * comma or line break, quotes doubled). One function for the station's `?format=csv` and the screen's
 * export, so both give the same file. Fields a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
 * get a leading apostrophe.
 */
import type { AuditEntry } from './schemas/audit'

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'time',
  'actorKind',
  'actorId',
  'actorName',
  'source',
  'action',
  'targetKind',
  'targetId',
  'before',
  'after',
  'prevHash',
  'hash',
] as const

const FORMULA = /^[=+\-@\t\r]/

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let s =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function row(e: AuditEntry): string {
  const cells: Record<(typeof AUDIT_CSV_COLUMNS)[number], unknown> = {
    ...e,
    time: new Date(e.at).toISOString(),
    before: e.before === null ? null : JSON.stringify(e.before),
    after: e.after === null ? null : JSON.stringify(e.after),
  }
  return AUDIT_CSV_COLUMNS.map((c) => csvField(cells[c])).join(',')
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  return [AUDIT_CSV_COLUMNS.join(','), ...entries.map(row)].map((l) => `${l}\r\n`).join('')
}

/** `audit-2024-05-01T0830-2024-05-02T0830.csv`: the range in the name (UTC), `all` for an open end. */
export function auditCsvFilename(from: number | undefined, to: number | undefined, now: number): string {
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(':', '')
  return `audit-${from === undefined ? 'start' : stamp(from)}-${stamp(to ?? now)}.csv`
}
