/**
 * Recording as the station answers and accepts it (issue 11): a camera's recording settings (the
 * `recording` field of the camera API), the timeline of a camera (recorded ranges, merged across adjacent
 * segments, and marks), the segments playback fetches, and storage figures. Times are epoch ms, as
 * everywhere in the station.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'

export const RECORDING_MODES = ['off', 'continuous', 'events'] as const
export type RecordingMode = (typeof RECORDING_MODES)[number]

export const MARK_KINDS = ['motion', 'alarm', 'manual'] as const
export type MarkKind = (typeof MARK_KINDS)[number]

/** The camera's `recording` field: all but `mode` optional on input (defaults below). */
export const RecordingSettings = Type.Object(
  {
    mode: Type.Union(
      RECORDING_MODES.map((m) => Type.Literal(m)),
      {
        description:
          'off · continuous · events (motion, an alarm, or a manual "record now", with pre- and post-roll)',
      },
    ),
    preRollS: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 60, description: 'Seconds kept before an event (default 5)' }),
    ),
    postRollS: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 600,
        description: 'Seconds recorded after an event ends (default 10)',
      }),
    ),
    minDays: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 0,
          maximum: 3650,
          description:
            'Keep at least this many days: the global quota cannot cut below it (only a full disk can)',
        }),
      ),
    ),
    maxDays: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 3650, description: 'Keep at most this many days' })),
    ),
    maxBytes: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, description: 'Keep at most this many bytes of this camera' })),
    ),
  },
  { additionalProperties: false },
)
export type RecordingSettings = Static<typeof RecordingSettings>

/** Defaults of the optional fields. */
export const RECORDING_DEFAULTS = { preRollS: 5, postRollS: 10 } as const

/** A stretch of recorded video with no gap (adjacent segments merged). */
export const RecordedRange = Type.Object({ start: EpochMs, end: EpochMs })
export type RecordedRange = Static<typeof RecordedRange>

export const RecordingMark = Type.Object({
  id: Type.Integer(),
  kind: Type.Union(MARK_KINDS.map((k) => Type.Literal(k))),
  start: EpochMs,
  end: Nullable(EpochMs),
  area: Nullable(Type.Number({ description: 'Motion: the share of the picture that moved, 0..1' })),
  ref: Nullable(Type.String({ description: 'What it refers to (an alarm id, a user name)' })),
})
export type RecordingMark = Static<typeof RecordingMark>

/** One recorded file: playback fetches it and appends it to its SourceBuffer. */
export const RecordingSegment = Type.Object({
  id: Type.Integer(),
  cameraId: Type.Integer(),
  start: EpochMs,
  end: EpochMs,
  bytes: Type.Integer(),
  keyframes: Type.Integer(),
  codec: Nullable(Type.String({ description: 'RFC 6381 codec string, for MediaSource.isTypeSupported' })),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  motion: Type.Boolean(),
  protectedUntil: Nullable(EpochMs),
  url: Type.String({ description: 'GET it for the fragmented MP4 (init segment and fragments)' }),
})
export type RecordingSegment = Static<typeof RecordingSegment>

/** `GET /api/v1/recordings?cameraId=&from=&to=` */
export const RecordingsQuery = Type.Object({
  cameraId: Type.Integer({ minimum: 1 }),
  from: EpochMs,
  to: EpochMs,
})
export type RecordingsQuery = Static<typeof RecordingsQuery>

export const RecordingTimeline = Type.Object({
  cameraId: Type.Integer(),
  from: EpochMs,
  to: EpochMs,
  ranges: Type.Array(RecordedRange),
  marks: Type.Array(RecordingMark),
})
export type RecordingTimeline = Static<typeof RecordingTimeline>

/** Per camera storage figures (API, /metrics, UI). */
export const CameraStorage = Type.Object({
  cameraId: Type.Integer(),
  name: Nullable(
    Type.String({ description: 'null: the camera was deleted, its footage is kept until retention' }),
  ),
  retention: Type.Object({
    minDays: Nullable(Type.Integer()),
    maxDays: Nullable(Type.Integer()),
    maxBytes: Nullable(Type.Integer()),
  }),
  bytes: Type.Integer(),
  segments: Type.Integer(),
  protectedBytes: Type.Integer(),
  oldest: Nullable(EpochMs),
  newest: Nullable(EpochMs),
  daysCovered: Type.Number({ description: 'Days from the oldest recording to now' }),
  writeBytesPerSec: Type.Number(),
  state: Type.Union(
    [Type.Literal('off'), Type.Literal('recording'), Type.Literal('waiting'), Type.Literal('failed')],
    { description: 'waiting: events mode, nothing to record now; failed: a write failure stopped it' },
  ),
  lastError: Nullable(Type.String()),
})
export type CameraStorage = Static<typeof CameraStorage>

export const StorageSummary = Type.Object({
  cameras: Type.Array(CameraStorage),
  totalBytes: Type.Integer(),
  protectedBytes: Type.Integer({ description: 'Bytes protected now (an alarm hold): no quota deletes them' }),
  quotaBytes: Nullable(Type.Integer()),
  reservePercent: Type.Number(),
  volume: Type.Object({
    totalBytes: Type.Integer(),
    freeBytes: Type.Integer(),
    reserveBytes: Type.Integer({ description: 'Free space retention keeps (reservePercent of the volume)' }),
  }),
  lastRetention: Nullable(
    Type.Object({
      at: EpochMs,
      deletedSegments: Type.Integer(),
      deletedBytes: Type.Integer(),
      ms: Type.Number(),
    }),
  ),
  problems: Type.Array(Type.String(), {
    description:
      'What retention cannot fix now (protected footage over the quota, the volume below its reserve)',
  }),
})
export type StorageSummary = Static<typeof StorageSummary>
