import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations, schemaVersion, type Migration } from './index'

describe('migrations', () => {
  it('002 keeps existing cameras and refuses local URLs for them until an admin allows it', () => {
    const db = new Database(':memory:')
    runMigrations(db, MIGRATIONS.slice(0, 1))
    db.prepare(
      "INSERT INTO cameras (name, kind, url, created_at, updated_at) VALUES ('Old', 'mjpeg', 'http://10.0.0.9/v', 1, 1)",
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 2))).toEqual([2])
    expect(db.prepare('SELECT name, allow_local FROM cameras').get()).toEqual({ name: 'Old', allow_local: 0 })
  })

  it('003 gives existing cameras no sub stream and RTSP over TCP, and takes only tcp or udp', () => {
    const db = new Database(':memory:')
    runMigrations(db, MIGRATIONS.slice(0, 2))
    db.prepare(
      "INSERT INTO cameras (name, kind, url, created_at, updated_at) VALUES ('Yard', 'rtsp', 'rtsp://10.0.0.9/s', 1, 1)",
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 3))).toEqual([3])
    expect(db.prepare('SELECT name, url, sub_url, transport FROM cameras').get()).toEqual({
      name: 'Yard',
      url: 'rtsp://10.0.0.9/s',
      sub_url: null,
      transport: 'tcp',
    })
    db.prepare("UPDATE cameras SET sub_url = 'rtsp://10.0.0.9/sub', transport = 'udp'").run()
    expect(() => db.prepare("UPDATE cameras SET transport = 'http'").run()).toThrow(/CHECK/)
  })

  it('004 leaves existing cameras not recording, with the default rolls, and indexes nothing yet', () => {
    const db = new Database(':memory:')
    runMigrations(db, MIGRATIONS.slice(0, 3))
    db.prepare(
      "INSERT INTO cameras (name, kind, url, created_at, updated_at) VALUES ('Yard', 'rtsp', 'rtsp://10.0.0.9/s', 1, 1)",
    ).run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 4))).toEqual([4])
    expect(
      db
        .prepare('SELECT rec_mode, rec_pre_roll_s, rec_post_roll_s, rec_min_days, rec_max_bytes FROM cameras')
        .get(),
    ).toEqual({
      rec_mode: 'off',
      rec_pre_roll_s: 5,
      rec_post_roll_s: 10,
      rec_min_days: null,
      rec_max_bytes: null,
    })
    expect(() => db.prepare("UPDATE cameras SET rec_mode = 'always'").run()).toThrow(/CHECK/)
    const insert = db.prepare(
      'INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, created_at) VALUES (1, ?, ?, 10, ?, 1)',
    )
    insert.run(1000, 2000, 'a.mp4')
    expect(() => insert.run(3000, 2000, 'b.mp4')).toThrow(/CHECK/)
    expect(() => insert.run(3000, 4000, 'a.mp4')).toThrow(/UNIQUE/)
  })

  it('apply in order on an empty database and record the schema version', () => {
    const db = new Database(':memory:')
    const applied = runMigrations(db)
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version))
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version)
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[]
    for (const t of [
      'areas',
      'buzzer_requests',
      'cameras',
      'devices',
      'events',
      'readings',
      'sensors',
      'sessions',
      'settings',
      'users',
    ])
      expect(tables).toContain(t)
  })

  it('are not applied twice', () => {
    const db = new Database(':memory:')
    runMigrations(db)
    expect(runMigrations(db)).toEqual([])
  })

  it('roll back a failing migration as a whole', () => {
    const db = new Database(':memory:')
    runMigrations(db)
    const v = schemaVersion(db)
    const broken: Migration = {
      version: v + 1,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half (x)')
        d.exec('THIS IS NOT SQL')
      },
    }
    expect(() => runMigrations(db, [...MIGRATIONS, broken])).toThrow()
    expect(schemaVersion(db)).toBe(v)
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0)
  })

  it('refuse a database from a newer station', () => {
    const db = new Database(':memory:')
    db.pragma('user_version = 999')
    expect(() => runMigrations(db)).toThrow(/newer/)
  })

  it('001 indexes readings by sensor and time for range queries', () => {
    const db = new Database(':memory:')
    runMigrations(db)
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT ts, value FROM readings WHERE sensor_id = 1 AND ts BETWEEN 0 AND 10',
      )
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/readings_sensor_ts/)
  })
})
