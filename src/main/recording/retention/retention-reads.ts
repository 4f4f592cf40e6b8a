/**
 * The read pool's named queries over the recording index for retention and storage figures (spread into
 * the station's catalogue, `database/read-queries.ts`). Every one is an indexed range or a bounded chunk:
 * retention never scans the disk, and never scans the whole index on a pass (only the totals at start-up).
 *
 * Entries are written out here (not with the catalogue's `all`/`one` helpers): read-queries.ts imports
 * this file, and a helper called at load time would meet the import cycle half-initialised. `SCAN_POINT`
 * is the catalogue's `interruptEvery('id')`, spelled out for the same reason.
 */
import type { ReadQuery } from '../../database/read-queries'

const SCAN_POINT = '((id & 1023) != 0 OR interrupt_point())'
const all = <P, Row>(sql: string) => ({ mode: 'all', sql }) as ReadQuery<P, Row[]>

/** One camera's totals, with the highest segment id they include (to tell later segments apart). */
export interface CameraTotalsRow {
  cameraId: number
  segments: number
  bytes: number
  maxId: number | null
}

/** A segment retention may delete: unprotected when read (the delete checks again). */
export interface CandidateRow {
  id: number
  cameraId: number
  start: number
  end: number
  bytes: number
}

export interface ProtectedRow {
  cameraId: number
  segments: number
  bytes: number
  until: number
}

export interface RangeRow extends CandidateRow {
  protectedUntil: number | null
}

/** A segment is never longer than this: the admin's range search starts this far before `from`. */
export const LONGEST_SEGMENT_MS = 86_400_000

export const RETENTION_READS = {
  /** Every camera's count and bytes (one pass over the index: at start-up only). */
  'retention.totals': all<Record<string, never>, CameraTotalsRow>(
    `SELECT camera_id AS cameraId, count(*) AS segments, coalesce(sum(bytes), 0) AS bytes, max(id) AS maxId
       FROM recording_segments WHERE ${SCAN_POINT} GROUP BY camera_id`,
  ),
  /** The same for one camera (its rows through the camera index). */
  'retention.cameraTotals': all<{ cameraId: number }, CameraTotalsRow>(
    `SELECT camera_id AS cameraId, count(*) AS segments, coalesce(sum(bytes), 0) AS bytes, max(id) AS maxId
       FROM recording_segments WHERE camera_id = @cameraId AND ${SCAN_POINT} GROUP BY camera_id`,
  ),
  /**
   * The next chunk of a camera's oldest unprotected segments that end at or before @cutoff, after the
   * cursor (@afterStart, @afterId), oldest first: one range of the (camera_id, start_ms) index.
   */
  'retention.candidates': all<
    { cameraId: number; afterStart: number; afterId: number; cutoff: number; now: number; limit: number },
    CandidateRow
  >(
    `SELECT id, camera_id AS cameraId, start_ms AS start, end_ms AS end, bytes FROM recording_segments
      WHERE camera_id = @cameraId AND start_ms >= @afterStart AND start_ms <= @cutoff
        AND (start_ms > @afterStart OR id > @afterId)
        AND end_ms <= @cutoff AND (protected_until IS NULL OR protected_until <= @now) AND ${SCAN_POINT}
      ORDER BY start_ms, id LIMIT @limit`,
  ),
  /**
   * Protected footage per camera now, through the partial index on protected_until (named: for the
   * GROUP BY, the planner would rather walk the whole camera index).
   */
  'retention.protected': all<{ now: number }, ProtectedRow>(
    `SELECT camera_id AS cameraId, count(*) AS segments, sum(bytes) AS bytes, max(protected_until) AS until
       FROM recording_segments INDEXED BY recording_segments_protected
      WHERE protected_until > @now AND ${SCAN_POINT} GROUP BY camera_id`,
  ),
  /** A camera's segments overlapping [@from, @to), oldest first, in chunks after @afterId's start. */
  'retention.range': all<
    { cameraId: number; from: number; to: number; afterStart: number; afterId: number; limit: number },
    RangeRow
  >(
    `SELECT id, camera_id AS cameraId, start_ms AS start, end_ms AS end, bytes, protected_until AS protectedUntil
       FROM recording_segments
      WHERE camera_id = @cameraId AND start_ms >= max(@afterStart, @from - ${LONGEST_SEGMENT_MS}) AND start_ms < @to
        AND (start_ms > @afterStart OR id > @afterId) AND end_ms > @from AND ${SCAN_POINT}
      ORDER BY start_ms, id LIMIT @limit`,
  ),
} satisfies Record<string, ReadQuery<never, unknown>>
