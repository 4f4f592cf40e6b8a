import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations } from './index'

describe('migration 005 (motion settings)', () => {
  it('adds no row for existing cameras, keeps values in range and goes with its camera', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    runMigrations(db, MIGRATIONS.slice(0, 4))
    db.prepare(
      "INSERT INTO cameras (name, kind, url, created_at, updated_at) VALUES ('Yard', 'rtsp', 'rtsp://10.0.0.9/s', 1, 1)",
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 5))).toEqual([5])
    expect(db.prepare('SELECT count(*) FROM motion_settings').pluck().get()).toBe(0)
    db.prepare('INSERT INTO motion_settings (camera_id, updated_at) VALUES (1, 1)').run()
    expect(db.prepare('SELECT * FROM motion_settings').get()).toEqual({
      camera_id: 1,
      enabled: 0,
      sensitivity: 50,
      min_area: 0.01,
      zones: '[]',
      masks: '[]',
      fps: 3,
      updated_at: 1,
    })
    expect(() => db.prepare('UPDATE motion_settings SET sensitivity = 0').run()).toThrow(/CHECK/)
    expect(() => db.prepare('UPDATE motion_settings SET min_area = 0').run()).toThrow(/CHECK/)
    expect(() =>
      db.prepare('INSERT INTO motion_settings (camera_id, updated_at) VALUES (9, 1)').run(),
    ).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM cameras WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) FROM motion_settings').pluck().get()).toBe(0)
  })
})
