/**
 * The hash chain of the audit log. Each entry's hash is SHA-256 (hex) of the previous entry's hash, a line
 * feed, and the entry's canonical content: the JSON array of its stored columns in a fixed order, before
 * and after as the exact JSON text stored. The first entry's previous hash is 64 zeros. An auditor can
 * recompute it with any SHA-256 tool (docs/audit.md).
 */
import { createHash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

/** An entry as stored (the columns the chain covers). */
export interface StoredAuditEntry {
  seq: number
  at: number
  actorKind: string
  actorId: number | null
  actorName: string | null
  source: string
  action: string
  targetKind: string | null
  targetId: string | null
  beforeJson: string | null
  afterJson: string | null
}

export function canonicalContent(e: StoredAuditEntry): string {
  return JSON.stringify([
    e.seq,
    e.at,
    e.actorKind,
    e.actorId,
    e.actorName,
    e.source,
    e.action,
    e.targetKind,
    e.targetId,
    e.beforeJson,
    e.afterJson,
  ])
}

export function entryHash(prevHash: string, e: StoredAuditEntry): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalContent(e)}`)
    .digest('hex')
}
