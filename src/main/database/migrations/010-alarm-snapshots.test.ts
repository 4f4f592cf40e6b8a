import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations } from './index'

describe('migration 010 (alarm snapshots)', () => {
  it('holds a picture or a reason per alarm and camera, and goes with its alarm', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    runMigrations(db, MIGRATIONS.slice(0, 9))
    db.prepare(
      `INSERT INTO alarms (rule_id, rule_name, severity, state, source_kind, source_id, message, opened_at,
         last_triggered_at) VALUES (1, 'Panic', 'critical', 'active', 'user', 'guard1', 'Panic', 1, 1)`,
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 10))).toEqual([10])
    const insert = db.prepare(
      'INSERT INTO alarm_snapshots (alarm_id, camera_id, at, file, bytes, error) VALUES (?, ?, 1, ?, ?, ?)',
    )
    insert.run(1, 3, '1-3.jpg', 1000, null)
    insert.run(1, 4, null, 0, 'the camera is offline')
    expect(() => insert.run(1, 5, null, 0, null)).toThrow(/CHECK/)
    expect(() => insert.run(1, 6, 'x.jpg', 1, 'both')).toThrow(/CHECK/)
    expect(() => insert.run(1, 3, '1-3.jpg', 1000, null)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => insert.run(9, 3, '9-3.jpg', 1000, null)).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM alarm_history').run()
    db.prepare('DELETE FROM alarms').run()
    expect(db.prepare('SELECT count(*) FROM alarm_snapshots').pluck().get()).toBe(0)
  })
})
