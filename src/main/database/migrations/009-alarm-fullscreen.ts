import type { Migration } from './index'

/**
 * The cameras an alarm shows fullscreen on the consoles (the rule's `actions.fullscreen`), stored with the
 * alarm so a later edit of the rule does not change what an open alarm shows. Existing alarms show none.
 */
export const m009AlarmFullscreen: Migration = {
  version: 9,
  name: 'alarm-fullscreen',
  up: (db) => {
    db.exec(`ALTER TABLE alarms ADD COLUMN fullscreen_camera_ids TEXT NOT NULL DEFAULT '[]'`)
  },
}
