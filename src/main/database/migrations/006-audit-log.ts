import type { Migration } from './index'

/**
 * The audit log (issue 12): one row per operator action, append-only, chained by hash (docs/audit.md).
 *
 * - `audit_log`: `seq` 1, 2, 3... (no gaps: a missing number is a removed entry), the actor, where from,
 *   the action and its target, before/after as JSON text (secrets redacted before they get here),
 *   `prev_hash` (the previous entry's `hash`, 64 zeros for the first) and `hash` =
 *   SHA-256(prev_hash + "\n" + canonical content).
 * - `audit_head`: one row, the last entry's seq and hash, moved in the same transaction as each append:
 *   entries cut off the end of the log no longer match it.
 * - Triggers refuse UPDATE and DELETE on both (the head only moves forward, by one append): the station
 *   itself cannot rewrite history, and whoever edits the file has to drop them first, which the chain
 *   then shows.
 */
export const m006AuditLog: Migration = {
  version: 6,
  name: 'audit log',
  up: (db) => {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user','device','system','anonymous')),
        actor_id INTEGER,
        actor_name TEXT,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        target_kind TEXT,
        target_id TEXT,
        before_json TEXT,
        after_json TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE INDEX audit_log_actor ON audit_log (actor_name COLLATE NOCASE, seq);

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
        WHEN NEW.seq <> OLD.seq + 1 OR NEW.hash <> (SELECT hash FROM audit_log WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'the audit head only moves to the next entry'); END;
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'the audit head is never removed'); END;
    `)
  },
}
