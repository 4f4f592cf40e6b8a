import type { Migration } from './index'

export const m001Initial: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE areas (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE cameras (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('push','mjpeg','snapshot','rtsp')),
        url TEXT,
        username TEXT,
        password TEXT,
        area_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        is_online INTEGER NOT NULL DEFAULT 0,
        fps INTEGER NOT NULL DEFAULT 10,
        stay_connected INTEGER NOT NULL DEFAULT 0,
        token_hash TEXT,
        last_seen_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX cameras_enabled ON cameras(enabled);

      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        area_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
        is_online INTEGER NOT NULL DEFAULT 0,
        last_seen_at INTEGER,
        last_ip TEXT,
        token_hash TEXT UNIQUE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- One row per (device, sensor): readings refer to it by a small integer, and it keeps the latest value.
      CREATE TABLE sensors (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        last_value REAL,
        last_ts INTEGER,
        UNIQUE (device_id, name)
      );

      -- Time series: appends go to the end of the rowid b-tree, range queries use (sensor_id, ts).
      CREATE TABLE readings (
        id INTEGER PRIMARY KEY,
        sensor_id INTEGER NOT NULL REFERENCES sensors(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        value REAL NOT NULL
      );
      CREATE INDEX readings_sensor_ts ON readings(sensor_id, ts);

      CREATE TABLE buzzer_requests (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        action TEXT NOT NULL CHECK (action IN ('on','off')),
        duration_ms INTEGER,
        pattern TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued','sent','acknowledged','expired','failed')),
        requested_by TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        acked_at INTEGER,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX buzzer_requests_device ON buzzer_requests(device_id, created_at);
      CREATE INDEX buzzer_requests_open ON buzzer_requests(status, expires_at) WHERE status IN ('queued','sent');

      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        source_id TEXT NOT NULL,
        message TEXT NOT NULL,
        acked_at INTEGER,
        acked_by TEXT,
        ack_note TEXT
      );
      CREATE INDEX events_ts ON events(ts);
      CREATE INDEX events_unacked ON events(ts) WHERE acked_at IS NULL;

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin','guard')),
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_expires ON sessions(expires_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `)
  },
}
