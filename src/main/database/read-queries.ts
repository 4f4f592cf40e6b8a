/**
 * The catalogue of heavy reads served by the read pool. Callers name a query; SQL never crosses the
 * boundary at request time. Each entry is prepared once per read connection (in every worker).
 */
export const READ_QUERIES = {
  /** Readings of one sensor in [from, to], newest first. */
  'readings.range': {
    mode: 'all',
    sql: `SELECT ts, value FROM readings WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to
          ORDER BY ts DESC LIMIT @limit OFFSET @offset`,
  },
  'readings.count': {
    mode: 'get',
    sql: `SELECT count(*) AS total FROM readings WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to`,
  },
  /** min/max/avg/count per bucket of @bucket ms, oldest first (for charts). */
  'readings.buckets': {
    mode: 'all',
    sql: `SELECT (ts - (ts % @bucket)) AS ts, min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
            FROM readings WHERE sensor_id = @sensorId AND ts BETWEEN @from AND @to
           GROUP BY 1 ORDER BY 1 LIMIT @limit`,
  },
  /** Readings of every sensor of one device in [from, to], newest first. */
  'readings.device.range': {
    mode: 'all',
    sql: `SELECT r.ts, r.value, s.name AS sensor, s.unit FROM sensors s JOIN readings r ON r.sensor_id = s.id
           WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to
           ORDER BY r.ts DESC, s.name LIMIT @limit OFFSET @offset`,
  },
  'readings.device.count': {
    mode: 'get',
    sql: `SELECT count(*) AS total FROM sensors s JOIN readings r ON r.sensor_id = s.id
           WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to`,
  },
  /** min/max/avg/count per sensor and bucket of @bucket ms for one device, oldest first. */
  'readings.device.buckets': {
    mode: 'all',
    sql: `SELECT (r.ts - (r.ts % @bucket)) AS ts, s.name AS sensor, min(r.value) AS min, max(r.value) AS max,
                 avg(r.value) AS avg, count(*) AS count
            FROM sensors s JOIN readings r ON r.sensor_id = s.id
           WHERE s.device_id = @deviceId AND r.ts BETWEEN @from AND @to
           GROUP BY 1, 2 ORDER BY 1, 2 LIMIT @limit`,
  },
  'events.list': {
    mode: 'all',
    sql: `SELECT id, ts, type, severity, source_kind AS sourceKind, source_id AS sourceId, message,
                 acked_at AS ackedAt, acked_by AS ackedBy, ack_note AS ackNote
            FROM events
           WHERE (@unacked = 0 OR acked_at IS NULL) AND ts BETWEEN @from AND @to
           ORDER BY (acked_at IS NOT NULL), ts DESC LIMIT @limit`,
  },
  'events.count': {
    mode: 'get',
    sql: `SELECT count(*) AS total FROM events WHERE (@unacked = 0 OR acked_at IS NULL) AND ts BETWEEN @from AND @to`,
  },
} as const satisfies Record<string, { mode: 'all' | 'get'; sql: string }>

export type QueryName = keyof typeof READ_QUERIES
export type QueryParams = Record<string, string | number | bigint | null>
