/**
 * The auditor's check (`npm run headless -- --verify-audit`): reads the station's database (read-only,
 * the station may be running) and checks the whole hash chain, without the bound the station's start
 * uses. Prints what it found and the head (the last entry's seq and hash: note it somewhere else, so
 * entries removed from the end together with the head can be noticed later); exit code 0 when the chain
 * holds, 1 when it is broken, 2 when there is nothing to check.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { databasePath } from '../database/open'
import { AuditRepository } from './audit-repository'
import { checkChain } from './chain-check'
import type { AuditChainStatus } from '../../shared/schemas/audit'

export interface AuditVerification {
  status: AuditChainStatus
  head: { seq: number; hash: string } | null
}

export function verifyAuditLog(dataDir: string, nativeBinding?: string): AuditVerification {
  const db = new Database(databasePath(dataDir), {
    readonly: true,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const repo = new AuditRepository(db)
    return { status: checkChain(repo), head: repo.head() ?? null }
  } finally {
    db.close()
  }
}

/** Runs the check for the command line; answers the exit code. */
export function runVerifyAudit(dataDir: string, out: (line: string) => void): number {
  if (!existsSync(databasePath(dataDir))) {
    out(`No station database in ${dataDir}`)
    return 2
  }
  const { status, head } = verifyAuditLog(dataDir)
  if (status.state === 'ok') {
    out(`Audit log OK: ${status.checked} entries checked in ${status.ms} ms, chain unbroken.`)
  } else if (status.state === 'empty') {
    out('Audit log empty: nothing to check.')
  } else {
    out(`Audit log BROKEN at entry ${status.brokenAt}: ${status.reason}`)
  }
  if (head) out(`Head: entry ${head.seq}, hash ${head.hash}`)
  return status.state === 'broken' ? 1 : 0
}
