import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations } from './index'

describe('migration 011 (event → alarm link)', () => {
  it('leaves existing events unlinked and links only to an alarm that exists', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    runMigrations(db, MIGRATIONS.slice(0, 10))
    db.prepare(
      `INSERT INTO events (ts, type, severity, source_kind, source_id, message)
       VALUES (1, 'device.offline', 'warning', 'device', 'gate', 'Device gate went offline')`,
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 11))).toEqual([11])
    expect(db.prepare('SELECT alarm_id FROM events').pluck().get()).toBeNull()
    expect(() => db.prepare('UPDATE events SET alarm_id = 7').run()).toThrow(/FOREIGN KEY/)
    db.prepare(
      `INSERT INTO alarms (id, rule_id, rule_name, severity, state, source_kind, source_id, message,
         opened_at, last_triggered_at) VALUES (7, 1, 'Gate', 'warning', 'active', 'device', 'gate', 'm', 1, 1)`,
    ).run()
    db.prepare('UPDATE events SET alarm_id = 7').run()
    expect(db.prepare('SELECT alarm_id FROM events').pluck().get()).toBe(7)
  })
})
