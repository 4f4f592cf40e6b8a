/**
 * Checks the audit log's hash chain: every entry follows the one before it (seq + 1, its prev_hash is that
 * entry's hash, its hash is recomputed from its content), and the last one is the head. Bounded for the
 * station's start: only the latest `maxEntries` are checked when the log is longer (`partial`); the
 * auditor's full check (`--verify-audit`) passes no bound.
 */
import { GENESIS_HASH, entryHash } from './audit-chain'
import type { AuditRepository } from './audit-repository'
import type { AuditChainStatus, AuditHealth } from '../../shared/schemas/audit'

/** What the station checks at start: about a second on a busy 2-core machine (200,000 took 2.3 s; docs/audit.md). */
export const START_CHECK_ENTRIES = 100_000

export function checkChain(
  repo: Pick<AuditRepository, 'head' | 'iterateFrom' | 'lastSeq' | 'hashAt'>,
  opts: { maxEntries?: number; now?: () => number } = {},
): AuditChainStatus {
  const started = performance.now()
  const now = opts.now ?? Date.now
  const lastSeq = repo.lastSeq()
  const head = repo.head()
  const done = (
    state: AuditChainStatus['state'],
    checked: number,
    partial: boolean,
    brokenAt: number | null = null,
    reason: string | null = null,
  ): AuditChainStatus => ({
    state,
    checked,
    partial,
    lastSeq,
    brokenAt,
    reason,
    checkedAt: now(),
    ms: Math.round((performance.now() - started) * 10) / 10,
  })

  if (lastSeq === 0) {
    if (head)
      return done('broken', 0, false, head.seq, `The head names entry ${head.seq} but the log is empty`)
    return done('empty', 0, false)
  }
  const max = opts.maxEntries ?? Number.POSITIVE_INFINITY
  const from = Math.max(1, lastSeq - max + 1)
  const partial = from > 1
  let expectedSeq = from
  let prevHash: string | undefined = from === 1 ? GENESIS_HASH : repo.hashAt(from - 1)
  let checked = 0
  for (const row of repo.iterateFrom(from)) {
    if (row.seq !== expectedSeq) {
      return done(
        'broken',
        checked,
        partial,
        expectedSeq,
        `Entries ${expectedSeq}..${row.seq - 1} are missing`,
      )
    }
    if (prevHash !== undefined && row.prevHash !== prevHash) {
      return done(
        'broken',
        checked,
        partial,
        row.seq,
        `Entry ${row.seq} does not follow entry ${row.seq - 1}`,
      )
    }
    if (entryHash(row.prevHash, row) !== row.hash) {
      return done('broken', checked, partial, row.seq, `Entry ${row.seq} was changed after it was written`)
    }
    prevHash = row.hash
    expectedSeq++
    checked++
  }
  if (!head || head.seq !== lastSeq || head.hash !== prevHash) {
    return done(
      'broken',
      checked,
      partial,
      head ? Math.min(head.seq, lastSeq) : lastSeq,
      head
        ? `The log ends at entry ${lastSeq} but its head names entry ${head.seq}: entries were removed or added outside the station`
        : 'The head of the log is missing',
    )
  }
  return done('ok', checked, partial)
}

/** The chain's part of `/api/health`: nothing before the check ran. */
export function auditHealth(status: AuditChainStatus | undefined): { audit?: AuditHealth } {
  if (!status) return {}
  const { state, partial, brokenAt, checkedAt } = status
  return { audit: { state, partial, brokenAt, checkedAt } }
}
