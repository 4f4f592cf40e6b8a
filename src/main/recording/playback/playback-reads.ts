/**
 * The read pool's playback queries (spread into READ_QUERIES): a camera's recorded ranges (adjacent
 * segments merged in SQL, so a month of 10 s segments crosses the thread boundary as a few ranges), its
 * marks, its segments in a range, and what an export of a range needs. Every scan starts from the
 * (camera_id, start_ms) index: a segment is never longer than `MAX_SEGMENT_MS`, so one that overlaps
 * `from` starts at most that much before it.
 */
import { all, interruptEvery } from '../../database/read-query-kit'
import type { MarkKind } from '../../../shared/schemas/recordings'

/** Longest segment the recorder writes (its default is 10 s; a segment is cut at a keyframe). */
export const MAX_SEGMENT_MS = 3_600_000

/**
 * Two segments belong to one range when the second starts at most this long after the first ends: 1.5
 * frames of the second (its duration over its frames), at most 1 s (and 1 s when it counts no frames).
 */
const GAP_TOLERANCE = `MIN(1000, 1.5 * (end_ms - start_ms) / MAX(frames, 1))`

interface CameraRange {
  cameraId: number
  from: number
  to: number
  limit: number
}

const OVERLAPS = `camera_id = @cameraId AND start_ms < @to AND start_ms >= @from - ${MAX_SEGMENT_MS}
  AND end_ms > @from AND ${interruptEvery('id')}`

export interface SegmentRow {
  id: number
  cameraId: number
  start: number
  end: number
  bytes: number
  keyframes: number
  codec: string | null
  width: number | null
  height: number | null
  motion: 0 | 1
  protectedUntil: number | null
}

export const PLAYBACK_READS = {
  /** Recorded ranges overlapping [from, to), clipped to it, oldest first. */
  'playback.ranges': all<CameraRange, { start: number; end: number }>(
    `WITH s AS (
       SELECT start_ms, end_ms, ${GAP_TOLERANCE} AS tol FROM recording_segments WHERE ${OVERLAPS}
     ), g AS (
       SELECT start_ms, end_ms,
              CASE WHEN start_ms - MAX(end_ms) OVER (ORDER BY start_ms, end_ms
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) <= tol THEN 0 ELSE 1 END AS brk
         FROM s
     ), h AS (
       SELECT start_ms, end_ms, SUM(brk) OVER (ORDER BY start_ms, end_ms ROWS UNBOUNDED PRECEDING) AS grp
         FROM g
     )
     SELECT MAX(MIN(start_ms), @from) AS start, MIN(MAX(end_ms), @to) AS end
       FROM h GROUP BY grp ORDER BY grp LIMIT @limit`,
  ),
  /** Marks overlapping [from, to) (one that still lasts has no end), oldest first. */
  'playback.marks': all<
    CameraRange,
    { id: number; kind: MarkKind; start: number; end: number | null; area: number | null; ref: string | null }
  >(
    `SELECT id, kind, start_ms AS start, end_ms AS end, area, ref FROM recording_marks
      WHERE camera_id = @cameraId AND start_ms < @to AND (end_ms IS NULL OR end_ms > @from)
        AND ${interruptEvery('id')}
      ORDER BY start_ms, id LIMIT @limit`,
  ),
  /** Segments overlapping [from, to), oldest first. */
  'playback.segments': all<CameraRange, SegmentRow>(
    `SELECT id, camera_id AS cameraId, start_ms AS start, end_ms AS end, bytes, keyframes, codec, width,
            height, motion, protected_until AS protectedUntil
       FROM recording_segments WHERE ${OVERLAPS} ORDER BY start_ms, id LIMIT @limit`,
  ),
  /** What an export concatenates: the files of the segments overlapping [from, to), oldest first. */
  'playback.exportSegments': all<
    CameraRange,
    { id: number; start: number; end: number; bytes: number; path: string; codec: string | null }
  >(
    `SELECT id, start_ms AS start, end_ms AS end, bytes, path, codec
       FROM recording_segments WHERE ${OVERLAPS} ORDER BY start_ms, id LIMIT @limit`,
  ),
}
