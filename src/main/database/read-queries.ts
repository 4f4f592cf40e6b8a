/**
 * The catalogue of heavy reads served by the read pool. Callers name a query; SQL never crosses the
 * boundary at request time. Each entry declares its parameters and its rows, so `reads.run(name, params)`
 * checks the parameters and infers the result from the name (as `writer.run` does from ./write-ops.ts).
 * Every entry is prepared once per read connection (in every worker).
 *
 * Every query reaches `INTERRUPT_POINT` while it scans. better-sqlite3 has no `interrupt()` (a
 * statement runs in native code until SQLite is done), so a read worker that is terminated (its query ran
 * past the read timeout) would otherwise go on until the query ends, and a worker thread in native code
 * also holds up the process's exit. The interrupt point is a JavaScript function: once the thread is being
 * terminated the call fails, SQLite aborts the statement and the thread stops at once. The catalogue
 * calls it for one row in 1024 (`interruptEvery`): about 25 ns per row scanned instead of 60.
 */
import type { Db } from './open'
import type { Reading, ReadingBucket, StationEvent } from '../../shared/schemas/entities'
import { auditQueries } from '../audit/audit-read-queries'
import { RETENTION_READS } from '../recording/retention/retention-reads'

import { all, interruptEvery, one, INTERRUPT_FUNCTION, type ReadCatalogue } from './read-query-kit'
import { PLAYBACK_READS } from '../recording/playback/playback-reads'
import { REPORT_READS } from '../reports/report-reads'

export * from './read-query-kit'

interface SensorRange {
  sensorId: number
  from: number
  to: number
}
interface DeviceRange {
  deviceId: string
  from: number
  to: number
}
interface Page {
  limit: number
  offset: number
}
interface Buckets {
  bucket: number
  limit: number
}
interface EventFilter {
  /** 1: only events waiting for a guard: warnings and above nobody has acknowledged (`eventNeedsAck`). */
  unacked: 0 | 1
  from: number
  to: number
}

export const READ_QUERIES = {
  /** Readings of one sensor in [from, to], newest first. */
  'readings.range': all<SensorRange & Page, Omit<Reading, 'sensor' | 'unit'>>(
    `SELECT ts, value FROM readings WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to AND ${interruptEvery('id')}
      ORDER BY ts DESC LIMIT @limit OFFSET @offset`,
  ),
  'readings.count': one<SensorRange, { total: number }>(
    `SELECT count(*) AS total FROM readings
      WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to AND ${interruptEvery('id')}`,
  ),
  /** min/max/avg/count per bucket of @bucket ms, oldest first (for charts). */
  'readings.buckets': all<SensorRange & Buckets, Omit<ReadingBucket, 'sensor'>>(
    `SELECT (ts - (ts % @bucket)) AS ts, min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
       FROM readings WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to AND ${interruptEvery('id')}
      GROUP BY 1 ORDER BY 1 LIMIT @limit`,
  ),
  /** Readings of every sensor of one device in [from, to], newest first. */
  'readings.device.range': all<DeviceRange & Page, Reading>(
    `SELECT r.ts, r.value, s.name AS sensor, s.unit FROM sensors s JOIN readings r ON r.sensor_id = s.id
      WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to AND ${interruptEvery('r.id')}
      ORDER BY r.ts DESC, s.name LIMIT @limit OFFSET @offset`,
  ),
  'readings.device.count': one<DeviceRange, { total: number }>(
    `SELECT count(*) AS total FROM sensors s JOIN readings r ON r.sensor_id = s.id
      WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to AND ${interruptEvery('r.id')}`,
  ),
  /** min/max/avg/count per sensor and bucket of @bucket ms for one device, oldest first. */
  'readings.device.buckets': all<DeviceRange & Buckets, ReadingBucket>(
    `SELECT (r.ts - (r.ts % @bucket)) AS ts, s.name AS sensor, min(r.value) AS min, max(r.value) AS max,
            avg(r.value) AS avg, count(*) AS count
       FROM sensors s JOIN readings r ON r.sensor_id = s.id
      WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to AND ${interruptEvery('r.id')}
      GROUP BY 1, 2 ORDER BY 1, 2 LIMIT @limit`,
  ),
  'events.list': all<EventFilter & { limit: number }, StationEvent>(
    `SELECT id, ts, type, severity, source_kind AS sourceKind, source_id AS sourceId, message,
            acked_at AS ackedAt, acked_by AS ackedBy, ack_note AS ackNote, alarm_id AS alarmId
       FROM events
      WHERE (@unacked = 0 OR (acked_at IS NULL AND severity <> 'info')) AND ts BETWEEN @from AND @to
        AND ${interruptEvery('id')}
      ORDER BY (acked_at IS NOT NULL OR severity = 'info'), ts DESC LIMIT @limit`,
  ),
  'events.count': one<EventFilter, { total: number }>(
    `SELECT count(*) AS total FROM events
      WHERE (@unacked = 0 OR (acked_at IS NULL AND severity <> 'info')) AND ts BETWEEN @from AND @to
        AND ${interruptEvery('id')}`,
  ),
  ...auditQueries({ all, one, interruptEvery }),
  ...PLAYBACK_READS,
  /** Recording retention and storage figures (recording/retention/retention-reads.ts). */
  ...RETENTION_READS,
  /** The shift handover report (reports/report-reads.ts). */
  ...REPORT_READS,
} satisfies ReadCatalogue

export type StationReads = typeof READ_QUERIES
export type QueryName = keyof StationReads

/**
 * Prepares a catalogue on a connection (registering the interrupt point first) and answers a runner of
 * its queries by name. Used by every read worker, and inline on the main connection when USEDB=false.
 */
export function prepareReads(db: Db, catalogue: ReadCatalogue): (name: string, params: unknown) => unknown {
  db.function(INTERRUPT_FUNCTION, { deterministic: false }, () => 1)
  const statements = new Map(
    Object.entries(catalogue).map(([name, q]) => [name, { mode: q.mode, stmt: db.prepare(q.sql) }]),
  )
  return (name, params) => {
    const s = statements.get(name)
    if (!s) throw new Error(`Unknown read query "${name}"`)
    if (s.mode === 'all') return s.stmt.all(params)
    const row = s.stmt.get(params)
    if (row === undefined) throw new Error(`The read query "${name}" answered no row`)
    return row
  }
}
