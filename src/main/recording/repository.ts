/**
 * The recording tables (migration 004) as the recorder core writes and reads them: named statements only.
 *
 * Writes run on the writer thread (`recordingWriteOps`, spread into database/write-ops.ts): a segment row
 * once its file is complete and fsynced (it takes the protection of the holds that overlap it, and the
 * motion marks inside it), marks (motion, alarm, manual), holds (`protect`) and start-up reconciliation.
 * Reads (`RecordingReads`) are point reads on the main connection: the open recordings at start-up.
 */
import type { Db } from '../database/open'
import type { MarkKind } from '../../shared/schemas/recordings'

/** A finished segment file, as indexed. `path` is relative to the recordings folder. */
export interface SegmentRow {
  cameraId: number
  startMs: number
  endMs: number
  bytes: number
  path: string
  keyframes: number
  frames: number
  codec: string | null
  width: number | null
  height: number | null
  /** Motion was seen in it (the recorder's own knowledge; motion marks inside it count too). */
  motion: boolean
}

export interface IndexedSegment {
  id: number
  protectedUntil: number | null
  motion: boolean
}

export type MarkWrite =
  | {
      op: 'start'
      cameraId: number
      kind: MarkKind
      startMs: number
      endMs: number | null
      area: number | null
      ref: string | null
    }
  | { op: 'end'; id: number; endMs: number; area: number | null }

export interface HoldWrite {
  cameraId: number
  fromMs: number
  toMs: number
  keepUntil: number
  reason: string
  sourceKind: string | null
  sourceId: string | null
}

export interface Reconcile {
  /** Index rows whose file is gone. */
  remove: number[]
  /** Files found without a row (orphans, repaired partial segments). */
  insert: SegmentRow[]
  /** Marks a crash left open (motion that never ended) end where they started. */
  endOpenMarks?: boolean
}

export function recordingWriteOps(db: Db) {
  const insertSegment = db.prepare(
    `INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, keyframes, frames, codec, width,
                                     height, motion, protected_until, created_at)
     VALUES (@cameraId, @startMs, @endMs, @bytes, @path, @keyframes, @frames, @codec, @width, @height,
             @motion OR EXISTS (SELECT 1 FROM recording_marks m
                                 WHERE m.camera_id = @cameraId AND m.kind = 'motion'
                                   AND m.start_ms < @endMs AND COALESCE(m.end_ms, @endMs) > @startMs),
             (SELECT MAX(keep_until) FROM recording_holds h
               WHERE h.camera_id = @cameraId AND h.from_ms < @endMs AND h.to_ms > @startMs
                 AND h.keep_until > @now),
             @now)
     ON CONFLICT (path) DO UPDATE SET end_ms = excluded.end_ms, bytes = excluded.bytes,
             keyframes = excluded.keyframes, frames = excluded.frames
     RETURNING id, protected_until AS protectedUntil, motion`,
  )
  const insertMark = db.prepare(
    `INSERT INTO recording_marks (camera_id, kind, start_ms, end_ms, area, ref, created_at)
     VALUES (@cameraId, @kind, @startMs, @endMs, @area, @ref, @now)`,
  )
  const endMark = db.prepare(
    'UPDATE recording_marks SET end_ms = @endMs, area = COALESCE(@area, area) WHERE id = @id',
  )
  const motionOn = db.prepare(
    `UPDATE recording_segments SET motion = 1
      WHERE camera_id = @cameraId AND start_ms < @toMs AND end_ms > @fromMs AND motion = 0`,
  )
  const insertHold = db.prepare(
    `INSERT INTO recording_holds (camera_id, from_ms, to_ms, keep_until, reason, source_kind, source_id,
                                  created_at)
     VALUES (@cameraId, @fromMs, @toMs, @keepUntil, @reason, @sourceKind, @sourceId, @now)`,
  )
  const protect = db.prepare(
    `UPDATE recording_segments SET protected_until = @keepUntil
      WHERE camera_id = @cameraId AND start_ms < @toMs AND end_ms > @fromMs
        AND (protected_until IS NULL OR protected_until < @keepUntil)`,
  )
  const remove = db.prepare<[number]>('DELETE FROM recording_segments WHERE id = ?')
  const endOpen = db.prepare('UPDATE recording_marks SET end_ms = start_ms WHERE end_ms IS NULL')

  const segmentTx = db.transaction((s: SegmentRow, now: number): IndexedSegment => {
    const r = insertSegment.get({ ...s, motion: s.motion ? 1 : 0, now }) as {
      id: number
      protectedUntil: number | null
      motion: number
    }
    return { id: r.id, protectedUntil: r.protectedUntil, motion: r.motion === 1 }
  }).immediate
  const marksTx = db.transaction((marks: readonly MarkWrite[], now: number): (number | null)[] =>
    marks.map((m) => {
      if (m.op === 'end') {
        endMark.run({ id: m.id, endMs: m.endMs, area: m.area })
        return null
      }
      const id = Number(insertMark.run({ ...m, now }).lastInsertRowid)
      // Motion marks what is already indexed too (its end is set later: the segments it spans).
      if (m.kind === 'motion')
        motionOn.run({ cameraId: m.cameraId, fromMs: m.startMs, toMs: m.endMs ?? m.startMs + 1 })
      return id
    }),
  ).immediate
  const holdTx = db.transaction((h: HoldWrite, now: number) => {
    const id = Number(insertHold.run({ ...h, now }).lastInsertRowid)
    const segments = protect.run(h).changes
    return { holdId: id, segments }
  }).immediate
  const reconcileTx = db.transaction((r: Reconcile, now: number) => {
    let removed = 0
    for (const id of r.remove) removed += remove.run(id).changes
    if (r.endOpenMarks) endOpen.run()
    const inserted = r.insert.map(
      (s) => insertSegment.get({ ...s, motion: s.motion ? 1 : 0, now }) as { id: number },
    )
    return { removed, inserted: inserted.map((x) => x.id) }
  }).immediate

  return {
    /** Indexes a finished segment (fsynced): answers its id and the protection its holds give it. */
    'recordings.segment': (s: SegmentRow): IndexedSegment => segmentTx(s, Date.now()),
    /** Marks started (answers their ids) or ended (null). */
    'recordings.marks': (marks: readonly MarkWrite[]): (number | null)[] => marksTx(marks, Date.now()),
    /** A hold, and the protection of the segments it overlaps (later ones get it when indexed). */
    'recordings.hold': (h: HoldWrite): { holdId: number; segments: number } => holdTx(h, Date.now()),
    /** Start-up: rows without a file removed, files without a row indexed. */
    'recordings.reconcile': (r: Reconcile): { removed: number; inserted: number[] } =>
      reconcileTx(r, Date.now()),
  }
}

/** One index row as start-up reconciliation compares it with the disk. */
export interface IndexedPath {
  id: number
  cameraId: number
  path: string
}

export class RecordingReads {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      inRange: db.prepare<[number, number, number], IndexedPath>(
        `SELECT id, camera_id AS cameraId, path FROM recording_segments
          WHERE camera_id = ? AND start_ms >= ? AND start_ms < ?`,
      ),
      days: db.prepare<[], { cameraId: number; day: number; n: number }>(
        `SELECT camera_id AS cameraId, start_ms / 86400000 AS day, count(*) AS n FROM recording_segments
          GROUP BY camera_id, start_ms / 86400000`,
      ),
      newestStart: db.prepare<[number], { start: number | null }>(
        'SELECT max(start_ms) AS start FROM recording_segments WHERE camera_id = ?',
      ),
      segmentCount: db.prepare<[number], { n: number; bytes: number }>(
        'SELECT count(*) AS n, COALESCE(SUM(bytes), 0) AS bytes FROM recording_segments WHERE camera_id = ?',
      ),
    }
  }

  /** Index rows of a camera starting in [fromMs, toMs) (one day folder at start-up). */
  inRange(cameraId: number, fromMs: number, toMs: number): IndexedPath[] {
    return this.stmts.inRange.all(cameraId, fromMs, toMs)
  }

  /** The (camera, UTC day number) pairs the index holds segments of. */
  days(): { cameraId: number; day: number; n: number }[] {
    return this.stmts.days.all()
  }

  /** Start of the camera's newest indexed segment (null: none). */
  newestStart(cameraId: number): number | null {
    return this.stmts.newestStart.get(cameraId)?.start ?? null
  }

  segments(cameraId: number): { n: number; bytes: number } {
    return this.stmts.segmentCount.get(cameraId) ?? { n: 0, bytes: 0 }
  }
}
