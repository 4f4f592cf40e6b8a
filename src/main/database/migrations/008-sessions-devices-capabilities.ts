import type { Migration } from './index'

/**
 * Sliding sessions (issue 14.5): `expires_at` moves forward while the guard is active, never past
 * `max_expires_at`, the absolute end an admin sets (STATION_SESSION_MAX_MS). Sessions from before keep
 * their end as both.
 *
 * Device capabilities (issue 14.6): what a device says it can do (`["buzzer"]`), as JSON, or NULL while
 * it has never said (older firmware).
 */
export const m008SessionsDevicesCapabilities: Migration = {
  version: 8,
  name: 'sliding sessions, device capabilities',
  up: (db) => {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN max_expires_at INTEGER;
      UPDATE sessions SET max_expires_at = expires_at;
      ALTER TABLE devices ADD COLUMN capabilities TEXT;
    `)
  },
}
