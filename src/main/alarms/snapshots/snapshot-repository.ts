/**
 * Alarm snapshot rows (main connection: a few per alarm). A row holds the picture's file name, size and
 * capture time, or why the camera gave none.
 */
import type { Db } from '../../database/open'

export interface SnapshotFile {
  alarmId: number
  cameraId: number
  at: number
  file: string
  bytes: number
}

export type SnapshotOutcome =
  | { cameraId: number; at: number; file: string; bytes: number }
  | { cameraId: number; at: number; error: string }

export class SnapshotRepository {
  private readonly insert
  private readonly one
  private readonly total
  private readonly oldest
  private readonly dropFile

  constructor(db: Db) {
    this.insert = db.prepare<[number, number, number, string | null, number, string | null]>(
      `INSERT OR REPLACE INTO alarm_snapshots (alarm_id, camera_id, at, file, bytes, error)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.one = db.prepare<[number, number], SnapshotRow>(
      'SELECT * FROM alarm_snapshots WHERE alarm_id = ? AND camera_id = ? AND file IS NOT NULL',
    )
    this.total = db.prepare<[], { bytes: number }>(
      'SELECT coalesce(sum(bytes), 0) AS bytes FROM alarm_snapshots WHERE file IS NOT NULL',
    )
    this.oldest = db.prepare<[number], SnapshotRow>(
      'SELECT * FROM alarm_snapshots WHERE file IS NOT NULL ORDER BY at, alarm_id LIMIT ?',
    )
    // The picture is gone; the row stays to say so.
    this.dropFile = db.prepare<[number, number]>(
      `UPDATE alarm_snapshots SET file = NULL, bytes = 0, error = 'removed to keep the folder within its size'
        WHERE alarm_id = ? AND camera_id = ?`,
    )
  }

  record(alarmId: number, o: SnapshotOutcome): void {
    if ('file' in o) this.insert.run(alarmId, o.cameraId, o.at, o.file, o.bytes, null)
    else this.insert.run(alarmId, o.cameraId, o.at, null, 0, o.error.slice(0, 500))
  }

  file(alarmId: number, cameraId: number): SnapshotFile | undefined {
    const r = this.one.get(alarmId, cameraId)
    return r && toFile(r)
  }

  totalBytes(): number {
    return this.total.get()!.bytes
  }

  oldestFiles(limit: number): SnapshotFile[] {
    return this.oldest.all(limit).map(toFile)
  }

  forget(alarmId: number, cameraId: number): void {
    this.dropFile.run(alarmId, cameraId)
  }
}

interface SnapshotRow {
  alarm_id: number
  camera_id: number
  at: number
  file: string
  bytes: number
  error: string | null
}

const toFile = (r: SnapshotRow): SnapshotFile => ({
  alarmId: r.alarm_id,
  cameraId: r.camera_id,
  at: r.at,
  file: r.file,
  bytes: r.bytes,
})
