import type { Migration } from './index'

/**
 * A station event that a rule turned into an alarm links to it (`events.alarm_id`, issue 12): device or
 * camera offline, a failed buzzer command. Existing events link to nothing.
 */
export const m011EventAlarmLink: Migration = {
  version: 11,
  name: 'event-alarm-link',
  up: (db) => {
    db.exec(`
      ALTER TABLE events ADD COLUMN alarm_id INTEGER REFERENCES alarms(id) ON DELETE SET NULL;
      CREATE INDEX events_alarm ON events(alarm_id) WHERE alarm_id IS NOT NULL;
    `)
  },
}
