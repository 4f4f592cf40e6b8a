/**
 * The audit log for admins: one page of entries for the screen's filters, and the CSV export of
 * everything the filters match (fetched page by page up to a fixed `to`, so entries written meanwhile do
 * not shift the pages; the same CSV as the station's `?format=csv`).
 */
import type { AuditEntry } from '../../../shared/schemas/audit'
import { MAX_AUDIT_EXPORT, MAX_AUDIT_LIMIT } from '../../../shared/audit-actions'
import { auditCsv, auditCsvFilename } from '../../../shared/audit-csv'
import { attempt, type ActionResult } from './result'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

export interface AuditFilter {
  from?: number
  to?: number
  actor?: string
  action?: string
}

export const AUDIT_PAGE_SIZE = 50

export interface AuditData {
  auditEntries: AuditEntry[]
  auditTotal: number
  auditFilter: AuditFilter
  auditOffset: number
  auditStatus: LoadStatus
  auditError: string | null
}

export interface AuditSlice extends AuditData {
  /** Loads the page at `offset` for `filter` (both default to what is shown). */
  loadAudit(filter?: AuditFilter, offset?: number): Promise<void>
  /** Everything the filter matches, oldest first, as CSV with its file name. */
  exportAudit(filter: AuditFilter): Promise<ActionResult<{ filename: string; csv: string; count: number }>>
}

export const AUDIT_INITIAL: AuditData = {
  auditEntries: [],
  auditTotal: 0,
  auditFilter: {},
  auditOffset: 0,
  auditStatus: 'idle',
  auditError: null,
}

const clean = (f: AuditFilter): AuditFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as AuditFilter

export const createAuditSlice =
  (deps: StoreDeps): Slice<AuditSlice> =>
  (set, get) => ({
    ...AUDIT_INITIAL,

    async loadAudit(filter = get().auditFilter, offset = 0) {
      set({ auditStatus: 'loading', auditError: null, auditFilter: filter, auditOffset: offset })
      try {
        const page = await deps.transport.request('audit:list', {
          ...clean(filter),
          limit: AUDIT_PAGE_SIZE,
          offset,
        })
        set({ auditEntries: page.entries, auditTotal: page.total, auditStatus: 'ready' })
      } catch (err) {
        set({ auditStatus: 'error', auditError: errorMessage(err) })
      }
    },

    exportAudit(filter) {
      return attempt(async () => {
        const now = deps.now?.() ?? Date.now()
        const fixed = { ...clean(filter), to: filter.to ?? now }
        const all: AuditEntry[] = []
        for (let offset = 0; offset < MAX_AUDIT_EXPORT; offset += MAX_AUDIT_LIMIT) {
          const page = await deps.transport.request('audit:list', {
            ...fixed,
            limit: MAX_AUDIT_LIMIT,
            offset,
          })
          all.push(...page.entries)
          if (page.entries.length < MAX_AUDIT_LIMIT) break
        }
        all.reverse()
        return {
          filename: auditCsvFilename(filter.from, fixed.to, now),
          csv: auditCsv(all),
          count: all.length,
        }
      })
    },
  })
