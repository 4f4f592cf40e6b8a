import type { Db } from '../database/open'

/** Key/value settings persisted by the station (JSON values). */
export class SettingsRepository {
  private readonly getStmt
  private readonly setStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.setStmt = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
  }

  get<T>(key: string): T | undefined {
    const row = this.getStmt.get(key)
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value), Date.now())
  }
}
