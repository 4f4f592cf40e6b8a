import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations } from './index'

describe('migration 009 (alarm fullscreen cameras)', () => {
  it('gives existing alarms no fullscreen cameras', () => {
    const db = new Database(':memory:')
    const upTo8 = MIGRATIONS.filter((m) => m.version <= 8)
    runMigrations(db, upTo8)
    db.prepare(
      `INSERT INTO alarms (rule_id, rule_name, severity, state, source_kind, source_id, message, opened_at,
                           last_triggered_at) VALUES (1, 'Old', 'warning', 'active', 'rule', '1', 'Old', 1, 1)`,
    ).run()
    expect(
      runMigrations(
        db,
        MIGRATIONS.filter((m) => m.version <= 9),
      ),
    ).toEqual([9])
    expect(db.prepare('SELECT fullscreen_camera_ids FROM alarms').pluck().get()).toBe('[]')
  })
})
