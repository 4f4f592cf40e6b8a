/**
 * Each camera's retention settings (the `recording` field's minDays, maxDays, maxBytes: columns
 * `rec_min_days`, `rec_max_days`, `rec_max_bytes` of migration 004) and name, read by retention on the
 * main connection: the cameras table is small, and a pass reads it once. The camera service owns writing
 * them (the recorder's `recording` field).
 */
import type { Db } from '../../database/open'

export interface CameraRetention {
  cameraId: number
  name: string
  minDays: number | null
  maxDays: number | null
  maxBytes: number | null
}

export type CameraRetentionSource = () => Map<number, CameraRetention>

export function cameraRetentionFromDb(db: Db): CameraRetentionSource {
  const stmt = db.prepare<[], CameraRetention>(
    `SELECT id AS cameraId, name, rec_min_days AS minDays, rec_max_days AS maxDays, rec_max_bytes AS maxBytes
       FROM cameras ORDER BY id`,
  )
  return () => new Map(stmt.all().map((c) => [c.cameraId, c]))
}
