/**
 * Live video figures and messages shared by the station and the UI: TypeBox schemas of the video routes'
 * answers (`GET /api/v1/stream/stats`, the `video` part of `/api/metrics`), the types derived from them,
 * and the JSON status messages of `/ws/stream/:id`.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common'

/**
 * A camera's state in the relay: disabled · unavailable (no usable source: RTSP, a bad URL) · idle (a
 * pull camera nobody watches: not connected) · connecting · online · offline.
 */
export const CAMERA_STATES = ['disabled', 'unavailable', 'idle', 'connecting', 'online', 'offline'] as const
export type CameraState = (typeof CAMERA_STATES)[number]

export const CameraStateSchema = Type.Union(
  CAMERA_STATES.map((s) => Type.Literal(s)),
  { description: 'idle: a pull camera nobody watches (not connected); unavailable: no usable source' },
)

export const CameraVideoStatsSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  state: CameraStateSchema,
  online: Type.Boolean(),
  stayConnected: Type.Boolean(),
  lastError: Nullable(Type.String()),
  nextRetryAt: Nullable(Type.Number({ description: 'Epoch ms of the next connection attempt' })),
  reconnects: Type.Integer(),
  connections: Type.Integer({ description: 'Connections open to the camera (pull: 0 or 1)' }),
  lastFrameAt: Nullable(Type.Number()),
  confirmedAt: Nullable(
    Type.Number({
      description:
        'Epoch ms the station last saw the camera alive: a frame received, or a check it answered (pull cameras nobody watches)',
    }),
  ),
  lastFrameAgeMs: Nullable(Type.Number()),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  fpsIn: Type.Number(),
  bytesInPerSec: Type.Number(),
  framesIn: Type.Integer(),
  badFrames: Type.Integer(),
  lastProblem: Nullable(Type.String()),
  viewers: Type.Object({
    total: Type.Integer(),
    full: Type.Integer(),
    reduced: Type.Integer(),
    mjpeg: Type.Integer(),
    ws: Type.Integer(),
    mp4: Type.Integer({ description: 'live.mp4 responses' }),
  }),
  streams: Type.Array(
    Type.Object({
      stream: Type.Union([Type.Literal('main'), Type.Literal('sub'), Type.Literal('transcoded')]),
      connected: Type.Boolean({ description: 'Its source is connected or connecting now' }),
      codec: Nullable(Type.String({ description: 'RFC 6381 codec string of its current stream' })),
    }),
    { description: "The camera's streams (RTSP: main, sub, transcoded; others: main)" },
  ),
  fpsOut: Type.Object(
    { full: Type.Number(), reduced: Type.Number() },
    { description: 'Frames per second per viewer, by viewer class (full rate or reduced with ?fps=)' },
  ),
  bytesOutPerSec: Type.Number(),
  framesOut: Type.Integer(),
  framesSkipped: Type.Integer({ description: 'Frames slow viewers skipped (latest frame wins)' }),
  stalledViewersDropped: Type.Integer(),
  snapshotsServed: Type.Integer(),
})
export type CameraVideoStats = Static<typeof CameraVideoStatsSchema>

export const VideoStatsSchema = Type.Object({
  cameras: Type.Array(CameraVideoStatsSchema),
  viewers: Type.Integer(),
  maxViewers: Type.Integer(),
  streamTokens: Type.Object({
    active: Type.Integer(),
    issued: Type.Integer(),
    used: Type.Integer(),
    refused: Type.Integer(),
  }),
  relayLatencyMs: Type.Object(
    {
      count: Type.Integer(),
      meanMs: Type.Number(),
      p50Ms: Type.Number(),
      p95Ms: Type.Number(),
      p99Ms: Type.Number(),
      maxMs: Type.Number(),
    },
    { description: "From a frame's arrival to a viewer's socket taking it (station lifetime)" },
  ),
  totals: Type.Object({ fpsIn: Type.Number(), bytesInPerSec: Type.Number(), bytesOutPerSec: Type.Number() }),
})
export type VideoStats = Static<typeof VideoStatsSchema>

/** JSON text messages on `/ws/stream/:id` (frames are binary). */
export interface StreamStatusMessage {
  type: 'status'
  cameraId: number
  state: CameraState
  online: boolean
  lastError: string | null
  nextRetryAt: number | null
  lastFrameAt: number | null
}
