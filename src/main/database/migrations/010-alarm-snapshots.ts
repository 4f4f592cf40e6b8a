import type { Migration } from './index'

/**
 * Alarm snapshots (issue 12): one row per alarm and camera, taken when the alarm opens. A picture has its
 * file (relative to `<data>/alarm-snapshots`), size and capture time; a camera that gave none has the
 * reason instead. Rows go with their alarm; files are bounded by a size cap (oldest first).
 */
export const m010AlarmSnapshots: Migration = {
  version: 10,
  name: 'alarm-snapshots',
  up: (db) => {
    db.exec(`
      CREATE TABLE alarm_snapshots (
        alarm_id INTEGER NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
        camera_id INTEGER NOT NULL,
        at INTEGER NOT NULL,
        file TEXT,
        bytes INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        PRIMARY KEY (alarm_id, camera_id),
        CHECK ((file IS NULL) != (error IS NULL))
      );
      CREATE INDEX alarm_snapshots_files ON alarm_snapshots(at) WHERE file IS NOT NULL;
    `)
  },
}
