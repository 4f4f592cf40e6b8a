/**
 * The audit log's statements. `append` runs on the writer (the `audit.append` write operation): it reads
 * the head, chains each entry to it and moves the head, in the caller's transaction, so the chain follows
 * commit order whoever writes. Reads for the API are in ./audit-read-queries.ts (read pool); the chain
 * check reads with `iterate` on the connection it is given.
 */
import type { Db } from '../database/open'
import { GENESIS_HASH, entryHash, type StoredAuditEntry } from './audit-chain'

/** An entry before it has a place in the chain. */
export type AuditDraft = Omit<StoredAuditEntry, 'seq'>

export interface ChainedEntry {
  seq: number
  prevHash: string
  hash: string
}

export interface AuditHead {
  seq: number
  hash: string
}

/** Every stored column, named as the entry's fields (the chain check and the API read these). */
export const AUDIT_COLUMNS = `seq, at, actor_kind AS actorKind, actor_id AS actorId, actor_name AS actorName,
  source, action, target_kind AS targetKind, target_id AS targetId, before_json AS beforeJson,
  after_json AS afterJson, prev_hash AS prevHash, hash`

export type AuditRow = StoredAuditEntry & { prevHash: string; hash: string }

export class AuditRepository {
  private readonly headStmt
  private readonly insertStmt
  private readonly setHeadStmt
  private readonly firstHeadStmt

  constructor(private readonly db: Db) {
    this.headStmt = db.prepare<[], AuditHead>('SELECT seq, hash FROM audit_head WHERE id = 1')
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, source, action, target_kind,
         target_id, before_json, after_json, prev_hash, hash)
       VALUES (@seq, @at, @actorKind, @actorId, @actorName, @source, @action, @targetKind, @targetId,
         @beforeJson, @afterJson, @prevHash, @hash)`,
    )
    this.setHeadStmt = db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1')
    this.firstHeadStmt = db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash)')
  }

  head(): AuditHead | undefined {
    return this.headStmt.get()
  }

  /** Chains and inserts the drafts in order; call inside a transaction. */
  append(drafts: readonly AuditDraft[]): ChainedEntry[] {
    const head = this.head()
    let seq = head?.seq ?? 0
    let prevHash = head?.hash ?? GENESIS_HASH
    const out: ChainedEntry[] = []
    for (const d of drafts) {
      seq++
      const entry = { ...d, seq }
      const hash = entryHash(prevHash, entry)
      this.insertStmt.run({ ...entry, prevHash, hash })
      out.push({ seq, prevHash, hash })
      prevHash = hash
    }
    const last = out.at(-1)
    if (last) {
      if (head) {
        // One step at a time: the head's trigger allows only the next entry.
        for (const c of out) this.setHeadStmt.run({ seq: c.seq, hash: c.hash })
      } else {
        this.firstHeadStmt.run({ seq: out[0]!.seq, hash: out[0]!.hash })
        for (const c of out.slice(1)) this.setHeadStmt.run({ seq: c.seq, hash: c.hash })
      }
    }
    return out
  }

  /** Entries with seq >= from, oldest first (the chain check). */
  iterateFrom(from: number): IterableIterator<AuditRow> {
    return this.db
      .prepare<[number], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= ? ORDER BY seq`)
      .iterate(from)
  }

  lastSeq(): number {
    return this.db.prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM audit_log').get()?.s ?? 0
  }

  /** The hash of the entry just before `seq` (the start of a partial check). */
  hashAt(seq: number): string | undefined {
    return this.db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq)
      ?.hash
  }
}
