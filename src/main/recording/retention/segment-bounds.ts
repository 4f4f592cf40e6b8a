/**
 * A camera's oldest and newest recorded times: point reads at both ends of the (camera_id, start_ms)
 * index on the main connection (microseconds, whatever the index holds).
 */
import type { Db } from '../../database/open'

export interface SegmentBounds {
  oldest: number | null
  newest: number | null
}

export type BoundsReader = (cameraId: number) => SegmentBounds

export function segmentBoundsFromDb(db: Db): BoundsReader {
  const oldest = db.prepare<[number], { start: number }>(
    'SELECT start_ms AS start FROM recording_segments WHERE camera_id = ? ORDER BY start_ms ASC LIMIT 1',
  )
  const newest = db.prepare<[number], { end: number }>(
    'SELECT end_ms AS end FROM recording_segments WHERE camera_id = ? ORDER BY start_ms DESC LIMIT 1',
  )
  return (cameraId) => ({
    oldest: oldest.get(cameraId)?.start ?? null,
    newest: newest.get(cameraId)?.end ?? null,
  })
}
