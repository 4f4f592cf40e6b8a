import type { Migration } from './index'

/**
 * Motion detection settings per camera (issue 11), in their own table rather than on the camera row: a
 * row only for cameras an admin set up (the rest have the defaults, detection off). Zones and masks are
 * JSON arrays of polygons in normalized coordinates (src/shared/schemas/motion.ts). Deleting a camera
 * deletes its row.
 */
export const m005MotionSettings: Migration = {
  version: 5,
  name: 'motion settings',
  up: (db) => {
    db.exec(`
      CREATE TABLE motion_settings (
        camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
        sensitivity INTEGER NOT NULL DEFAULT 50 CHECK (sensitivity BETWEEN 1 AND 100),
        min_area REAL NOT NULL DEFAULT 0.01 CHECK (min_area > 0 AND min_area <= 1),
        zones TEXT NOT NULL DEFAULT '[]',
        masks TEXT NOT NULL DEFAULT '[]',
        fps INTEGER NOT NULL DEFAULT 3 CHECK (fps BETWEEN 1 AND 10),
        updated_at INTEGER NOT NULL
      );
    `)
  },
}
