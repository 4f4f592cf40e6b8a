/**
 * Motion detection as the station answers and accepts it (issue 11): a camera's motion settings
 * (`GET/PUT /api/cameras/:id/motion`, kept in their own table, not in the camera record) and the
 * detectors' figures (`GET /api/v1/motion/stats`).
 *
 * Zones and masks are polygons in normalized picture coordinates (0..1, x to the right, y down), so they
 * hold whatever size the detector decodes at. Motion counts inside the zones (the whole picture when there
 * are none) minus the masks.
 */
import { Type, type Static } from '@sinclair/typebox'
import { EpochMs, Nullable } from './common'

export const MAX_MOTION_POLYGONS = 16
export const MAX_POLYGON_POINTS = 32

export const MotionPoint = Type.Object(
  { x: Type.Number({ minimum: 0, maximum: 1 }), y: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false },
)
export type MotionPoint = Static<typeof MotionPoint>

export const MotionPolygon = Type.Object(
  {
    points: Type.Array(MotionPoint, { minItems: 3, maxItems: MAX_POLYGON_POINTS }),
    /** A zone's name ("Gate"), for alarm rules that watch one zone; zones are also known by number (1..). */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)
export type MotionPolygon = Static<typeof MotionPolygon>

const fields = {
  enabled: Type.Boolean({ description: 'Detect motion on this camera (one small decoder while enabled)' }),
  sensitivity: Type.Integer({
    minimum: 1,
    maximum: 100,
    description: 'How small a change of brightness counts: 1 (only stark changes) to 100 (the faintest)',
  }),
  minArea: Type.Number({
    minimum: 0.001,
    maximum: 1,
    description: 'Share of the watched area (zones minus masks) that must change for motion (0.01 = 1%)',
  }),
  fps: Type.Integer({ minimum: 1, maximum: 10, description: 'Pictures compared per second' }),
  zones: Type.Array(MotionPolygon, {
    maxItems: MAX_MOTION_POLYGONS,
    description: 'Where motion counts (none: the whole picture)',
  }),
  masks: Type.Array(MotionPolygon, {
    maxItems: MAX_MOTION_POLYGONS,
    description: 'Where motion never counts (a tree, a road), cut out of the zones',
  }),
}

export const MotionSettings = Type.Object({
  cameraId: Type.Integer(),
  ...fields,
  updatedAt: Nullable(EpochMs),
})
export type MotionSettings = Static<typeof MotionSettings>

/** `PUT /api/cameras/:id/motion`: fields left out keep their value. */
export const MotionSettingsBody = Type.Partial(Type.Object(fields), { additionalProperties: false })
export type MotionSettingsBody = Static<typeof MotionSettingsBody>

export const MOTION_DEFAULTS = {
  enabled: false,
  sensitivity: 50,
  minArea: 0.01,
  fps: 3,
  zones: [],
  masks: [],
} as const satisfies Omit<MotionSettings, 'cameraId' | 'updatedAt'>

/** One camera's detector. */
export const MotionCameraStats = Type.Object({
  cameraId: Type.Integer(),
  state: Type.Union([Type.Literal('idle'), Type.Literal('motion')]),
  /** Whether its decoder runs now (false while it waits to restart, or for a key frame). */
  running: Type.Boolean(),
  mode: Type.Union([Type.Literal('all-frames'), Type.Literal('keyframes')], {
    description: 'all-frames: every fragment decoded, sampled at fps · keyframes: only key frames decoded',
  }),
  stream: Type.String({ description: 'The camera stream it watches (sub, or main without one)' }),
  width: Type.Integer(),
  height: Type.Integer(),
  fps: Type.Number(),
  frames: Type.Integer({ description: 'Pictures compared' }),
  skipped: Type.Integer({ description: 'Units dropped because the decoder was behind or restarting' }),
  lastArea: Type.Number(),
  starts: Type.Integer({ description: 'Motion starts seen' }),
  restarts: Type.Integer({ description: 'Decoder restarts after a failure' }),
  lastError: Nullable(Type.String()),
  lastFrameAt: Nullable(EpochMs),
  compareMs: Type.Number({ description: 'CPU time the station spent comparing pictures (ms)' }),
  decoderCpuMs: Nullable(
    Type.Number({ description: 'CPU time of the running decoder (ms, since it started; Linux only)' }),
  ),
  decoderPid: Nullable(Type.Integer()),
})
export type MotionCameraStats = Static<typeof MotionCameraStats>

export const MotionStats = Type.Object({
  cameras: Type.Array(MotionCameraStats),
  /** Why no detector can run (no ffmpeg), or null. */
  unavailable: Nullable(Type.String()),
})
export type MotionStats = Static<typeof MotionStats>
