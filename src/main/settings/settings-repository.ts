import type { Db } from '../database/open'

/** Key/value settings persisted by the station (JSON values). */
export class SettingsRepository {
  private readonly getStmt
  private readonly setStmt
  private readonly deleteStmt
  private readonly prefixStmt

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.setStmt = db.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    this.deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?')
    // Keys are short ASCII names: a range scan on the primary key finds every key with the prefix.
    this.prefixStmt = db.prepare<[string, string], { key: string; value: string }>(
      'SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key',
    )
  }

  get<T>(key: string): T | undefined {
    const row = this.getStmt.get(key)
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value), Date.now())
  }

  delete(key: string): void {
    this.deleteStmt.run(key)
  }

  /** Every setting whose key starts with `prefix`, keyed by the rest of the name. */
  entries(prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const row of this.prefixStmt.all(prefix, `${prefix}\uffff`)) {
      out[row.key.slice(prefix.length)] = JSON.parse(row.value) as unknown
    }
    return out
  }

  /** Runs several changes in one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)()
  }
}
