/**
 * Playback and export of recorded footage (issue 11): the segments a player fetches, and export jobs
 * (a standard MP4 of a time range, made by the station, with progress). Times are epoch ms. The timeline
 * itself (`RecordingsQuery`, `RecordingTimeline`) and `RecordingSegment` are in ./recordings.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'
import { RecordingSegment } from './recordings'

/** Longest range one timeline answer covers (a month at a glance at most). */
export const TIMELINE_MAX_RANGE_MS = 31 * 86_400_000
/** Most ranges and marks in one timeline answer (each). */
export const TIMELINE_MAX_ITEMS = 5000
/** Most segments in one answer (about 80 minutes of 10 s segments); ask again from the last one's end. */
export const SEGMENTS_MAX_LIMIT = 500
export const SEGMENTS_DEFAULT_LIMIT = 100
/** Longest range one export covers. */
export const EXPORT_MAX_RANGE_MS = 24 * 3_600_000

export const SegmentsQuery = Type.Object({
  cameraId: Type.Integer({ minimum: 1 }),
  from: EpochMs,
  to: EpochMs,
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: SEGMENTS_MAX_LIMIT,
      description: `Most segments answered (default ${SEGMENTS_DEFAULT_LIMIT}); oldest first`,
    }),
  ),
})
export type SegmentsQuery = Static<typeof SegmentsQuery>

export const SegmentList = Type.Array(RecordingSegment)
export type SegmentList = Static<typeof SegmentList>

export const SegmentFileParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export const SegmentFileQuery = Type.Object({
  token: Type.Optional(
    Type.String({ maxLength: 200, description: 'Stream token (POST /api/v1/stream/token)' }),
  ),
})

export const ExportParams = Type.Object({ cameraId: Type.Integer({ minimum: 1 }) })
export const ExportRange = Type.Object(
  {
    from: EpochMs,
    to: EpochMs,
  },
  { additionalProperties: false },
)
export type ExportRange = Static<typeof ExportRange>
/** `GET /api/v1/recordings/:cameraId/export.mp4?from=&to=` (token: for a plain link). */
export const ExportQuery = Type.Object({
  from: EpochMs,
  to: EpochMs,
  token: SegmentFileQuery.properties.token,
})

export const EXPORT_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export type ExportState = (typeof EXPORT_STATES)[number]

export const ExportJob = Type.Object({
  id: Type.String(),
  cameraId: Type.Integer(),
  cameraName: Type.String(),
  from: EpochMs,
  to: EpochMs,
  state: Type.Union(EXPORT_STATES.map((s) => Type.Literal(s))),
  /** 0..1 of the range written. */
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  /** Recorded time in the range (gaps are left out of the file), ms. */
  recordedMs: Type.Integer(),
  /** What the file will hold, roughly (the segments' bytes), and what it holds when done. */
  estimatedBytes: Type.Integer(),
  bytes: Nullable(Type.Integer()),
  /** SHA-256 of the finished file (hex): to write down with the hand-over. */
  sha256: Nullable(Type.String()),
  fileName: Type.String({ description: 'camera, day and times, e.g. Gate_2026-03-01_0215-0245.mp4' }),
  /** GET it (with a session, or ?token=) for the file, once done. */
  downloadUrl: Nullable(Type.String()),
  error: Nullable(Type.String()),
  /** Position in the queue (0: running or finished). */
  queuePosition: Type.Integer(),
  createdAt: EpochMs,
  /** A finished file is kept until then (downloads may repeat meanwhile). */
  expiresAt: Nullable(EpochMs),
})
export type ExportJob = Static<typeof ExportJob>

export const ExportJobParams = Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{8,40}$' }) })
