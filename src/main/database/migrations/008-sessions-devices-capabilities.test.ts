import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, runMigrations } from './index'

describe('migration 008 (sliding sessions, device capabilities)', () => {
  it('keeps a session’s end as its longest end, and leaves devices’ capabilities unknown', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    runMigrations(db, MIGRATIONS.slice(0, 7))
    db.prepare(
      "INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('g', 'guard', 'x', 1, 1)",
    ).run()
    db.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h', 1, 1, 500)",
    ).run()
    db.prepare("INSERT INTO devices (id, name, created_at, updated_at) VALUES ('d1', 'd1', 1, 1)").run()
    expect(runMigrations(db, MIGRATIONS.slice(0, 8))).toEqual([8])
    expect(db.prepare('SELECT expires_at, max_expires_at FROM sessions').get()).toEqual({
      expires_at: 500,
      max_expires_at: 500,
    })
    expect(db.prepare('SELECT capabilities FROM devices').get()).toEqual({ capabilities: null })
  })
})
