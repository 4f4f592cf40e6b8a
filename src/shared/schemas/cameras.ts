/**
 * Cameras as the station answers and accepts them: TypeBox schemas (validation, serialization, OpenAPI)
 * and the types derived from them. Two views of one camera:
 *
 * - `CameraView`: what every signed-in user sees (guards' screens): name, area, kind, state, whether it has
 *   a sub stream. Never how the station reaches the camera: guards watch through the station's own
 *   endpoints (`CameraStreams`).
 * - `AdminCamera`: the view plus what only admins see: the URLs (secret-looking query values masked),
 *   whether credentials are stored (they never leave the station), and the camera's settings.
 *
 * API names are camelCase. `is_online` was the pre-0.2 name of `isOnline`: still recognized on input
 * (refused like `isOnline`: the station owns it) for one release.
 */
import { Type, type Static } from '@sinclair/typebox'
import { CAMERA_KINDS, RTSP_TRANSPORTS, type CameraKind, type RtspTransport } from '../constants'
import { EpochMs, Nullable } from './common'
import { RECORDING_MODES, RecordingSettings } from './recordings'

export const CameraKindSchema = Type.Unsafe<CameraKind>(Type.String({ enum: [...CAMERA_KINDS] }))
export const RtspTransportSchema = Type.Unsafe<RtspTransport>(
  Type.String({
    enum: [...RTSP_TRANSPORTS],
    description: 'rtsp cameras only: RTP over the RTSP TCP connection (tcp, the default) or over udp',
  }),
)

/** The largest camera URL the station stores. */
export const MAX_CAMERA_URL = 2048

/** What every signed-in user sees of a camera. */
export const CameraView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: CameraKindSchema,
  areaId: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  isOnline: Type.Boolean({ description: 'Managed by the station (frames arriving)' }),
  lastSeenAt: Nullable(EpochMs),
  confirmedAt: Nullable(
    Type.Integer({
      minimum: 0,
      description:
        'When the station last saw the camera alive: frames received, or (pull cameras nobody watches) a check it answered; refreshed at least every 30 s while it is. A guard is told "online" only while this is recent',
    }),
  ),
  hasSubStream: Type.Boolean({
    description:
      'An rtsp camera with a sub stream: grid tiles may watch it (stream=sub), fullscreen the main',
  }),
  recordingMode: Type.Union(
    RECORDING_MODES.map((m) => Type.Literal(m)),
    { description: 'Whether the station records it: off · continuous · events (guards may "record now")' },
  ),
})
export type CameraView = Static<typeof CameraView>

/** A camera's recording settings as stored and answered (admins): every field, defaults filled in. */
export const CameraRecording = Type.Required(RecordingSettings)
export type CameraRecording = Static<typeof CameraRecording>

/** What only admins see besides the view. */
export const CameraAdminFields = Type.Object({
  url: Nullable(Type.String({ description: 'Admins only. Secret-looking query values are answered as ***' })),
  subUrl: Nullable(
    Type.String({ description: 'Admins only: the rtsp sub stream (null: none). Masked like url' }),
  ),
  transport: RtspTransportSchema,
  hasCredentials: Type.Boolean({ description: 'Credentials are write-only: never answered' }),
  fps: Type.Integer(),
  stayConnected: Type.Boolean(),
  allowLocal: Type.Boolean({
    description: 'Admins only: the URL may name this computer (loopback) or the station’s own port',
  }),
  recording: CameraRecording,
  createdAt: EpochMs,
  updatedAt: EpochMs,
})
export type CameraAdminFields = Static<typeof CameraAdminFields>

export const AdminCamera = Type.Composite([CameraView, CameraAdminFields])
export type AdminCamera = Static<typeof AdminCamera>

/** What the camera routes answer: the view, with the admin fields for admins only. */
export const Camera = Type.Composite([CameraView, Type.Partial(CameraAdminFields)])
export type Camera = Static<typeof Camera>

/** The station's own live endpoints for one enabled camera (never the camera's URL or credentials). */
export const CameraStreams = Type.Object({
  cameraId: Type.Integer(),
  name: Type.String(),
  kind: CameraKindSchema,
  online: Type.Boolean(),
  mjpeg: Type.String({ description: 'multipart/x-mixed-replace MJPEG stream (?fps= for a lower rate)' }),
  snapshot: Type.String({ description: 'The latest frame as JPEG' }),
  ws: Type.String({ description: 'Frames over WebSocket' }),
  liveMp4: Type.Optional(
    Type.String({ description: 'rtsp cameras: the main stream as fragmented MP4 over chunked HTTP' }),
  ),
  wsMain: Type.Optional(
    Type.String({ description: 'rtsp cameras: the main stream as fMP4 over WebSocket (fullscreen)' }),
  ),
  wsSub: Type.Optional(
    Type.String({
      description: 'rtsp cameras with a sub stream: the sub stream over WebSocket (grid tiles)',
    }),
  ),
  ingest: Type.Optional(
    Type.Object({
      http: Type.String({ description: 'Push cameras POST frames here' }),
      ws: Type.String({ description: 'Push cameras send frames over this WebSocket' }),
    }),
  ),
})
export type StreamEndpoints = Static<typeof CameraStreams>

const writable = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: CameraKindSchema,
  url: Nullable(
    Type.String({
      maxLength: MAX_CAMERA_URL,
      description:
        'Pull cameras only: http(s) for mjpeg/snapshot, rtsp(s) for rtsp. Credentials in it are moved out.',
    }),
  ),
  subUrl: Nullable(
    Type.String({
      maxLength: MAX_CAMERA_URL,
      description:
        'rtsp cameras only: the sub stream (rtsp: or rtsps:; null or empty: none). Grid tiles use it. ' +
        'Credentials in it are moved out and must be the camera’s own (one set per camera).',
    }),
  ),
  transport: RtspTransportSchema,
  username: Nullable(Type.String({ maxLength: 256, description: 'Write-only (null or empty clears)' })),
  password: Nullable(Type.String({ maxLength: 256, description: 'Write-only (null or empty clears)' })),
  areaId: Nullable(Type.Integer({ minimum: 1 })),
  enabled: Type.Boolean(),
  fps: Type.Integer({ minimum: 1, maximum: 60 }),
  stayConnected: Type.Boolean(),
  allowLocal: Type.Boolean({
    description:
      'Allow a URL on this computer (localhost, 127.0.0.0/8, ::1) or the station’s own port: refused unless set',
  }),
  recording: RecordingSettings,
}
const { name, kind, ...optional } = writable

/** Fields a client may send back that belong to the station: recognized, then refused with a reason. */
const readOnly = {
  isOnline: Type.Boolean({ description: 'Read-only: managed by the station; sending it is refused' }),
  is_online: Type.Boolean({ description: 'Old name of isOnline (accepted for one release); refused too' }),
}

/** A new camera: name and kind, the rest defaults. */
export const CameraInput = Type.Object(
  { name, kind, ...Type.Partial(Type.Object(optional)).properties },
  { additionalProperties: false },
)
export type CameraInput = Static<typeof CameraInput>

/** A change: fields left out keep their value. */
export const CameraPatch = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
})
export type CameraPatch = Static<typeof CameraPatch>
export type CameraUpdate = { id: number } & CameraPatch

/** The body of POST /api/cameras. */
export const NewCameraBody = Type.Object(
  { ...CameraInput.properties, ...Type.Partial(Type.Object(readOnly)).properties },
  { additionalProperties: false },
)
export type NewCameraBody = Static<typeof NewCameraBody>

/** The body of PUT /api/cameras/:id. */
export const CameraChangeBody = Type.Partial(Type.Object({ ...writable, ...readOnly }), {
  additionalProperties: false,
  minProperties: 1,
})
export type CameraChangeBody = Static<typeof CameraChangeBody>

export const CameraDeleted = Type.Object({ deleted: Type.Boolean(), id: Type.Integer() })
export type CameraDeleted = Static<typeof CameraDeleted>

export const PushToken = Type.Object({
  token: Type.String({ description: 'Shown once: the station keeps only its hash' }),
})
export type PushToken = Static<typeof PushToken>
export const PushTokenRevoked = Type.Object({ revoked: Type.Boolean() })
export type PushTokenRevoked = Static<typeof PushTokenRevoked>

/** Answers and inputs of the camera and stream routes, as the routes and the contract share them. */
export const CameraList = Type.Array(Camera)
export const CameraStreamList = Type.Array(CameraStreams)
export const CameraIdParams = Type.Object({ cameraId: Type.Integer({ minimum: 1 }) })
export const StreamTokenBody = Type.Object(
  { cameraId: Type.Optional(Type.Integer({ minimum: 1, description: 'Limit the token to one camera' })) },
  { additionalProperties: false },
)
export const StreamToken = Type.Object({
  token: Type.String(),
  expiresAt: Type.Number({ description: 'Epoch ms: open viewers before then (open streams go on)' }),
  ttlMs: Type.Integer(),
})
export type StreamToken = Static<typeof StreamToken>
