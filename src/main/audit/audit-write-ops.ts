/** The audit log's write operation, run by the writer (see ../database/write-ops.ts). */
import type { Db } from '../database/open'
import { AuditRepository, type AuditDraft, type ChainedEntry } from './audit-repository'

export function createAuditWriteOps(db: Db) {
  const repo = new AuditRepository(db)
  const appendTx = db.transaction((drafts: readonly AuditDraft[]) => repo.append(drafts)).immediate
  return {
    /** Chains and appends entries in one transaction; answers each one's seq and hashes, in order. */
    'audit.append': (drafts: readonly AuditDraft[]): ChainedEntry[] => appendTx(drafts),
  }
}
