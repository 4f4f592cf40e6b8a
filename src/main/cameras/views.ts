/**
 * The three views of a stored camera, the only way a row leaves the camera domain:
 *
 * - `cameraView`: every signed-in user (guards): name, area, kind, state, whether there is a sub stream.
 *   No URL.
 * - `adminView`: admins: the view plus the URLs (secret-looking query values masked), whether credentials
 *   are stored, and the settings. Never the credentials.
 * - `relayView`: the video relay, in the main process only: everything it needs to connect, credentials
 *   included. Never serialized.
 */
import type { CameraKind, Role, RtspTransport } from '../../shared/constants'
import type {
  AdminCamera,
  Camera,
  CameraRecording,
  CameraView,
  StreamEndpoints,
} from '../../shared/schemas/cameras'
import { redactCameraUrl } from './camera-url'
import type { CameraRecord } from './repository'

/** What the relay needs of a camera (credentials included: it stays in the main process). */
export interface RelayCamera {
  readonly id: number
  readonly name: string
  readonly kind: CameraKind
  readonly url: string | null
  /** rtsp cameras: the sub stream (grid tiles); null: none. */
  readonly subUrl: string | null
  /** rtsp cameras: how RTP travels (RTSP over TCP unless 'udp'). */
  readonly transport: RtspTransport
  readonly username: string | null
  readonly password: string | null
  readonly enabled: boolean
  readonly fps: number
  readonly stayConnected: boolean
  readonly isOnline: boolean
  readonly lastSeenAt: number | null
}

export function cameraView(r: CameraRecord): CameraView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    areaId: r.areaId,
    enabled: r.enabled,
    isOnline: r.isOnline,
    lastSeenAt: r.lastSeenAt,
    confirmedAt: r.lastSeenAt,
    hasSubStream: r.kind === 'rtsp' && r.subUrl !== null,
    recordingMode: r.recording.mode,
  }
}

export function adminView(r: CameraRecord): AdminCamera {
  const url = redactCameraUrl(r.url)
  const subUrl = redactCameraUrl(r.subUrl)
  return {
    ...cameraView(r),
    url,
    subUrl,
    transport: r.transport,
    hasCredentials: r.username !== null || r.password !== null || url !== r.url || subUrl !== r.subUrl,
    fps: r.fps,
    stayConnected: r.stayConnected,
    allowLocal: r.allowLocal,
    recording: { ...r.recording },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

/** Narrows an admin view to what everyone may see (for messages built from an admin view). */
export function viewOf(c: AdminCamera | CameraView): CameraView {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    areaId: c.areaId,
    enabled: c.enabled,
    isOnline: c.isOnline,
    lastSeenAt: c.lastSeenAt,
    confirmedAt: c.confirmedAt,
    hasSubStream: c.hasSubStream,
    recordingMode: c.recordingMode,
  }
}

/** The view a user with this role gets. */
export function viewFor(role: Role | undefined, r: CameraRecord): Camera {
  return role === 'admin' ? adminView(r) : cameraView(r)
}

/** What the recorders need of a camera: whether and how it records (main process only). */
export interface RecordingCamera {
  readonly id: number
  readonly name: string
  readonly kind: CameraKind
  readonly enabled: boolean
  readonly fps: number
  readonly recording: CameraRecording
}

export function recordingView(r: CameraRecord): RecordingCamera {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    fps: r.fps,
    recording: { ...r.recording },
  }
}

export function relayView(r: CameraRecord): RelayCamera {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    subUrl: r.subUrl,
    transport: r.transport,
    username: r.username,
    password: r.password,
    enabled: r.enabled,
    fps: r.fps,
    stayConnected: r.stayConnected,
    isOnline: r.isOnline,
    lastSeenAt: r.lastSeenAt,
  }
}

/**
 * The station's own live endpoints for a camera (the same for every role: no camera URL in them). RTSP
 * cameras also play as fragmented MP4: `live.mp4` and the WebSocket per stream (`wsSub` only with a sub
 * stream).
 */
export function streamEndpoints(c: CameraView): StreamEndpoints {
  const base: StreamEndpoints = {
    cameraId: c.id,
    name: c.name,
    kind: c.kind,
    online: c.isOnline,
    mjpeg: `/api/v1/stream/${c.id}/mjpeg`,
    snapshot: `/api/v1/stream/${c.id}/snapshot.jpg`,
    ws: `/ws/stream/${c.id}`,
  }
  if (c.kind === 'push') {
    return { ...base, ingest: { http: `/api/v1/stream/fast/${c.id}`, ws: `/ws/camera/${c.id}` } }
  }
  if (c.kind === 'rtsp') {
    return {
      ...base,
      liveMp4: `/api/v1/stream/${c.id}/live.mp4`,
      wsMain: `/ws/stream/${c.id}?stream=main`,
      ...(c.hasSubStream ? { wsSub: `/ws/stream/${c.id}?stream=sub` } : {}),
    }
  }
  return base
}
