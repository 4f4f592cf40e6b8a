import type { Migration } from './index'

/**
 * Recording (issue 11): each camera's recording settings, the index of recorded segments (the truth for
 * byte totals: the disk is never scanned to know what is used), the holds alarms put on footage, and the
 * marks (motion, alarm, manual) a timeline shows.
 *
 * - `cameras.rec_*`: mode off · continuous · events; pre/post roll (s); at least `rec_min_days` kept (a
 *   global quota cannot cut below it unless the volume itself is about to fill), at most `rec_max_days`
 *   and `rec_max_bytes` (null: no per-camera cap).
 * - `recording_segments`: one file each (`path` relative to the recordings folder), [start_ms, end_ms) in
 *   epoch ms, its bytes and key frames, whether motion was seen in it, and `protected_until` (epoch ms:
 *   the latest keep-until of the holds that overlap it; null when none does). No foreign key to cameras:
 *   footage outlives a deleted camera until retention removes it.
 * - `recording_holds`: footage an alarm (or an operator) protects, [from_ms, to_ms) of a camera, until
 *   `keep_until`.
 * - `recording_marks`: what happened when, for the timeline: motion (with its area, 0..1), alarms, manual
 *   "record now"; `end_ms` null while it lasts.
 */
export const m004Recordings: Migration = {
  version: 4,
  name: 'recordings',
  up: (db) => {
    db.exec(`
      ALTER TABLE cameras ADD COLUMN rec_mode TEXT NOT NULL DEFAULT 'off'
        CHECK (rec_mode IN ('off','continuous','events'));
      ALTER TABLE cameras ADD COLUMN rec_pre_roll_s INTEGER NOT NULL DEFAULT 5;
      ALTER TABLE cameras ADD COLUMN rec_post_roll_s INTEGER NOT NULL DEFAULT 10;
      ALTER TABLE cameras ADD COLUMN rec_min_days INTEGER;
      ALTER TABLE cameras ADD COLUMN rec_max_days INTEGER;
      ALTER TABLE cameras ADD COLUMN rec_max_bytes INTEGER;

      CREATE TABLE recording_segments (
        id INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        path TEXT NOT NULL UNIQUE,
        keyframes INTEGER NOT NULL DEFAULT 0,
        frames INTEGER NOT NULL DEFAULT 0,
        codec TEXT,
        width INTEGER,
        height INTEGER,
        motion INTEGER NOT NULL DEFAULT 0,
        protected_until INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX recording_segments_camera_start ON recording_segments (camera_id, start_ms);
      CREATE INDEX recording_segments_start ON recording_segments (start_ms);
      CREATE INDEX recording_segments_protected ON recording_segments (protected_until)
        WHERE protected_until IS NOT NULL;

      CREATE TABLE recording_holds (
        id INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL CHECK (to_ms >= from_ms),
        keep_until INTEGER NOT NULL,
        reason TEXT NOT NULL,
        source_kind TEXT,
        source_id TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX recording_holds_camera ON recording_holds (camera_id, from_ms);
      CREATE INDEX recording_holds_keep ON recording_holds (keep_until);

      CREATE TABLE recording_marks (
        id INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('motion','alarm','manual')),
        start_ms INTEGER NOT NULL,
        end_ms INTEGER,
        area REAL,
        ref TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX recording_marks_camera_start ON recording_marks (camera_id, start_ms);
    `)
  },
}
