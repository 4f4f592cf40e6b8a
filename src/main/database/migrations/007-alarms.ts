import type { Migration } from './index'

/**
 * Alarm rules, their engine state, alarms with their history, and area arming (issue 12). A rule's
 * definition is JSON validated by src/shared/schemas/alarms.ts; its state row survives restarts. At most
 * one open (not cleared) alarm per rule: a recurring condition counts a repeat on it.
 */
export const m007Alarms: Migration = {
  version: 7,
  name: 'alarms',
  up: (db) => {
    db.exec(`
      CREATE TABLE alarm_rules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        disabled_reason TEXT,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE alarm_rule_state (
        rule_id INTEGER PRIMARY KEY REFERENCES alarm_rules(id) ON DELETE CASCADE,
        phase TEXT NOT NULL CHECK (phase IN ('idle', 'pending', 'active')),
        pending_since INTEGER,
        pending_at INTEGER,
        active_since INTEGER,
        cleared_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY,
        rule_id INTEGER NOT NULL,
        rule_name TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        state TEXT NOT NULL CHECK (state IN ('active', 'acknowledged', 'cleared')),
        source_kind TEXT NOT NULL,
        source_id TEXT NOT NULL,
        message TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        last_triggered_at INTEGER NOT NULL,
        repeat_count INTEGER NOT NULL DEFAULT 0,
        condition_ended_at INTEGER,
        acked_at INTEGER,
        acked_by TEXT,
        ack_note TEXT,
        assigned_to TEXT,
        cleared_at INTEGER,
        cleared_by TEXT,
        clear_reason TEXT CHECK (clear_reason IN ('condition', 'resolved')),
        escalate_at INTEGER,
        escalate_to TEXT,
        escalated_at INTEGER,
        siren TEXT,
        recordings TEXT NOT NULL DEFAULT '[]'
      );
      CREATE UNIQUE INDEX alarms_open_per_rule ON alarms(rule_id) WHERE state != 'cleared';
      CREATE INDEX alarms_opened ON alarms(opened_at);
      CREATE TABLE alarm_history (
        id INTEGER PRIMARY KEY,
        alarm_id INTEGER NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT,
        note TEXT,
        detail TEXT
      );
      CREATE INDEX alarm_history_alarm ON alarm_history(alarm_id, id);
      CREATE TABLE area_arming (
        area_id INTEGER PRIMARY KEY REFERENCES areas(id) ON DELETE CASCADE,
        armed INTEGER NOT NULL CHECK (armed IN (0, 1)),
        changed_at INTEGER NOT NULL,
        changed_by TEXT
      );
    `)
  },
}
