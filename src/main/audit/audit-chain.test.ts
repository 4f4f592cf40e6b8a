/**
 * The hash chain: a station that finds its audit log tampered with (a row deleted, changed, or cut off the
 * end, directly in SQLite) says so at its next start: a critical station event, an error, and
 * `audit.state: broken` in /api/health. The bounded check at start looks at the latest entries only.
 */
import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestStation, type TestStation } from '../server/test-helper'
import { databasePath } from '../database/open'
import { runMigrations } from '../database/migrations'
import { AuditRepository } from './audit-repository'
import { checkChain } from './chain-check'
import { SYSTEM_ACTOR } from './request-origin'
import { runVerifyAudit, verifyAuditLog } from './verify-audit'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A station on a data folder that outlives it (restarts on the same database). */
async function stationOn(dir: string): Promise<TestStation> {
  return createTestStation({ STATION_DATA_DIR: dir })
}

async function stationWithEntries(dir: string, n: number): Promise<void> {
  const st = await stationOn(dir)
  for (let i = 0; i < n; i++) {
    await st.app.audit.record({
      actor: SYSTEM_ACTOR,
      source: 'station',
      action: 'area.create',
      target: { kind: 'area', id: i + 1 },
      after: { name: `Area ${i}` },
    })
  }
  await st.close()
}

function tamper(dir: string, sql: string): void {
  const db = new Database(databasePath(dir))
  try {
    db.exec(`DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update; ${sql}`)
  } finally {
    db.close()
  }
}

async function health(st: TestStation) {
  const res = await st.app.inject({ method: 'GET', url: '/api/health' })
  return res.json().data.audit as { state: string; brokenAt: number | null; partial: boolean }
}

async function criticalEvents(st: TestStation) {
  const events = await st.app.reads.run('events.list', { unacked: 0, from: 0, to: Date.now(), limit: 100 })
  return events.filter((e) => e.type === 'audit.chain-broken')
}

describe('audit hash chain', () => {
  it('holds across restarts, and the station refuses to change or delete entries itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-chain-'))
    dirs.push(dir)
    await stationWithEntries(dir, 3)
    const st = await stationOn(dir)
    try {
      expect(await health(st)).toMatchObject({ state: 'ok', partial: false, brokenAt: null })
      expect(await criticalEvents(st)).toEqual([])
      expect(() => st.app.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/)
      expect(() => st.app.db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 2").run()).toThrow(
        /append-only/,
      )
      expect(() => st.app.db.prepare('UPDATE audit_head SET seq = 1').run()).toThrow(/only moves/)
    } finally {
      await st.close()
    }
  })

  it('reports a row deleted directly in SQLite at the next start, as a critical event and in /api/health', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-chain-'))
    dirs.push(dir)
    await stationWithEntries(dir, 3)
    const lines: string[] = []
    expect(runVerifyAudit(dir, (l) => lines.push(l))).toBe(0)
    expect(lines[0]).toMatch(/^Audit log OK: 3 entries/)
    tamper(dir, 'DELETE FROM audit_log WHERE seq = 2')
    // The auditor's check sees it too, without starting the station.
    expect(verifyAuditLog(dir).status).toMatchObject({ state: 'broken', brokenAt: 2, partial: false })
    expect(runVerifyAudit(dir, (l) => lines.push(l))).toBe(1)
    expect(lines.at(-2)).toBe('Audit log BROKEN at entry 2: Entries 2..2 are missing')
    const st = await stationOn(dir)
    try {
      expect(await health(st)).toMatchObject({ state: 'broken', brokenAt: 2 })
      const events = await criticalEvents(st)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ severity: 'critical' })
      expect(events[0]!.message).toMatch(/entry 2/)
      expect(st.app.audit.chain).toMatchObject({ state: 'broken', reason: 'Entries 2..2 are missing' })
    } finally {
      await st.close()
    }
  })

  it('reports a changed entry and entries cut off the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-chain-'))
    dirs.push(dir)
    await stationWithEntries(dir, 2)
    tamper(dir, "UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 2")
    let st = await stationOn(dir)
    expect(st.app.audit.chain).toMatchObject({ state: 'broken', brokenAt: 2 })
    expect(st.app.audit.chain?.reason).toMatch(/changed/)
    await st.close()

    const dir2 = mkdtempSync(join(tmpdir(), 'audit-chain-'))
    dirs.push(dir2)
    await stationWithEntries(dir2, 2)
    tamper(dir2, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)')
    st = await stationOn(dir2)
    expect(st.app.audit.chain?.state).toBe('broken')
    expect(st.app.audit.chain?.reason).toMatch(/head/)
    await st.close()
  })

  it('checks only the latest entries when bounded, and the whole log when not', () => {
    const db = new Database(':memory:')
    runMigrations(db)
    const repo = new AuditRepository(db)
    const draft = (i: number) => ({
      at: i,
      actorKind: 'system',
      actorId: null,
      actorName: 'station',
      source: 'station',
      action: 'test',
      targetKind: null,
      targetId: String(i),
      beforeJson: null,
      afterJson: JSON.stringify({ i }),
    })
    db.transaction(() => repo.append(Array.from({ length: 50 }, (_, i) => draft(i))))()
    expect(checkChain(repo)).toMatchObject({ state: 'ok', checked: 50, partial: false, lastSeq: 50 })
    expect(checkChain(repo, { maxEntries: 10 })).toMatchObject({ state: 'ok', checked: 10, partial: true })
    db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5')
    expect(checkChain(repo, { maxEntries: 10 })).toMatchObject({ state: 'ok', partial: true })
    expect(checkChain(repo)).toMatchObject({ state: 'broken', brokenAt: 5 })
    db.close()
  })
})
