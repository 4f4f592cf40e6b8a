import type { Migration } from './index'

/** Cameras may point at this computer or the station's own port only when an admin says so (issue 13.12). */
export const m002CameraAllowLocal: Migration = {
  version: 2,
  name: 'camera allow_local',
  up: (db) => {
    db.exec('ALTER TABLE cameras ADD COLUMN allow_local INTEGER NOT NULL DEFAULT 0')
  },
}
