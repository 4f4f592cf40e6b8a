/**
 * The three views of a stored camera, the only way a row leaves the camera domain:
 *
 * - `cameraView`: every signed-in user (guards): name, area, kind, state. No URL.
 * - `adminView`: admins: the view plus the URL (secret-looking query values masked), whether credentials
 *   are stored, and the settings. Never the credentials.
 * - `relayView`: the video relay, in the main process only: everything it needs to connect, credentials
 *   included. Never serialized.
 */
import type { CameraKind, Role } from '../../shared/constants'
import type { AdminCamera, Camera, CameraView, StreamEndpoints } from '../../shared/schemas/cameras'
import { redactCameraUrl } from './camera-url'
import type { CameraRecord } from './repository'

/** What the relay needs of a camera (credentials included: it stays in the main process). */
export interface RelayCamera {
  readonly id: number
  readonly name: string
  readonly kind: CameraKind
  readonly url: string | null
  readonly username: string | null
  readonly password: string | null
  readonly enabled: boolean
  readonly fps: number
  readonly stayConnected: boolean
  readonly isOnline: boolean
  readonly lastSeenAt: number | null
  /** RTSP: the sub stream (grid tiles), and RTP over the RTSP connection (tcp) or UDP. */
  readonly subUrl?: string | null
  readonly transport?: 'tcp' | 'udp'
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
  }
}

export function adminView(r: CameraRecord): AdminCamera {
  const url = redactCameraUrl(r.url)
  return {
    ...cameraView(r),
    url,
    hasCredentials: r.username !== null || r.password !== null || url !== r.url,
    fps: r.fps,
    stayConnected: r.stayConnected,
    allowLocal: r.allowLocal,
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
  }
}

/** The view a user with this role gets. */
export function viewFor(role: Role | undefined, r: CameraRecord): Camera {
  return role === 'admin' ? adminView(r) : cameraView(r)
}

export function relayView(r: CameraRecord): RelayCamera {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    username: r.username,
    password: r.password,
    enabled: r.enabled,
    fps: r.fps,
    stayConnected: r.stayConnected,
    isOnline: r.isOnline,
    lastSeenAt: r.lastSeenAt,
  }
}

/** The station's own live endpoints for a camera (the same for every role: no camera URL in them). */
export function streamEndpoints(c: CameraView): StreamEndpoints {
  const base = {
    cameraId: c.id,
    name: c.name,
    kind: c.kind,
    online: c.isOnline,
    mjpeg: `/api/v1/stream/${c.id}/mjpeg`,
    snapshot: `/api/v1/stream/${c.id}/snapshot.jpg`,
    ws: `/ws/stream/${c.id}`,
  }
  return c.kind === 'push'
    ? { ...base, ingest: { http: `/api/v1/stream/fast/${c.id}`, ws: `/ws/camera/${c.id}` } }
    : base
}
