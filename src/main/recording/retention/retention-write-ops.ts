/**
 * The writer's operations over the recording index for retention and admins' deletions (spread into the
 * writer's catalogue, `database/write-ops.ts`). Each runs in one IMMEDIATE transaction on the writer thread.
 *
 * A delete checks protection again inside its transaction: a hold an alarm added after retention read its
 * candidates protects the segment all the same (its `protected_until` or the hold itself), so no segment
 * that is protected when the delete commits is ever deleted. The rows answer what was really deleted
 * (path, bytes): the caller unlinks those files after the commit and publishes `recording.deleted`.
 */
import type { Db } from '../../database/open'

export interface DeletedSegment {
  id: number
  cameraId: number
  bytes: number
  path: string
  start: number
}

export interface DeleteResult {
  deleted: DeletedSegment[]
  /** Ids left alone: protected by then, or already gone. */
  kept: number
}

export interface HoldsExpiry {
  /** Expired holds removed. */
  holds: number
  /** Segments whose protection was recomputed. */
  segments: number
  /** More segments wait for their recompute (run it again). */
  more: boolean
}

export function createRetentionWriteOps(db: Db) {
  const deleteOne = db.prepare<{ id: number; now: number }, DeletedSegment>(
    `DELETE FROM recording_segments
      WHERE id = @id AND (protected_until IS NULL OR protected_until <= @now)
        AND NOT EXISTS (SELECT 1 FROM recording_holds h
                         WHERE h.camera_id = recording_segments.camera_id AND h.keep_until > @now
                           AND h.from_ms < recording_segments.end_ms AND h.to_ms > recording_segments.start_ms)
      RETURNING id, camera_id AS cameraId, bytes, path, start_ms AS start`,
  )
  const deleteTx = db.transaction((ids: readonly number[], now: number): DeleteResult => {
    const deleted: DeletedSegment[] = []
    for (const id of ids) {
      const row = deleteOne.get({ id, now })
      if (row) deleted.push(row)
    }
    return { deleted, kept: ids.length - deleted.length }
  }).immediate

  const dropExpiredHolds = db.prepare<{ now: number }>('DELETE FROM recording_holds WHERE keep_until <= @now')
  // protected_until is the latest keep-until of the holds overlapping the segment: once it has passed,
  // every hold behind it has expired; what other holds still overlap it give the new value (or none).
  const recompute = db.prepare<{ now: number; limit: number }>(
    `UPDATE recording_segments SET protected_until =
        (SELECT max(h.keep_until) FROM recording_holds h
          WHERE h.camera_id = recording_segments.camera_id AND h.keep_until > @now
            AND h.from_ms < recording_segments.end_ms AND h.to_ms > recording_segments.start_ms)
      WHERE id IN (SELECT id FROM recording_segments
                    WHERE protected_until IS NOT NULL AND protected_until <= @now LIMIT @limit)`,
  )
  const expireTx = db.transaction((now: number, limit: number): HoldsExpiry => {
    const holds = dropExpiredHolds.run({ now }).changes
    const segments = recompute.run({ now, limit }).changes
    return { holds, segments, more: segments >= limit }
  }).immediate

  return {
    /** Deletes these segments unless protected at commit time; answers the rows deleted. */
    'recordings.delete': (p: { ids: readonly number[]; now: number }): DeleteResult => deleteTx(p.ids, p.now),
    /** Removes expired holds and recomputes the protection of up to `limit` segments it had protected. */
    'recordings.expireHolds': (p: { now: number; limit: number }): HoldsExpiry => expireTx(p.now, p.limit),
  }
}
