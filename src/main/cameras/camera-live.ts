/**
 * The camera domain's live messages (`/ws/live`, the desktop bridge), produced from committed facts on the
 * domain event stream, never from the place that wrote:
 *
 * - `camera.changed` created/updated → `camera.status` with the camera's view (everyone), then
 *   `camera.config` with the admin view (admins only: it carries the URL);
 * - `camera.changed` deleted → `camera.removed` (everyone); a push token change sends nothing;
 * - `camera.health` → `camera.status` with the relay's state (everyone; the error's detail to admins
 *   only, guard-safe.ts).
 *
 * Relay state changes that are not committed facts (connecting, a new error, the next retry) go out
 * through `publishRelayState`.
 */
import type { DomainEventStream } from '../events/domain-stream'
import type { LiveHub } from '../services'
import type { LiveMessage } from '../../shared/schemas/live'
import type { DomainEventOf } from '../../shared/events/domain-events'
import { viewOf } from './views'
import { guardError } from './guard-safe'

type CameraStatus = Extract<LiveMessage, { type: 'camera.status' }>

/** The relay's view of a camera, as it goes out live. */
export type CameraRelayState = Pick<
  CameraStatus,
  'cameraId' | 'online' | 'state' | 'lastError' | 'nextRetryAt'
>

function healthMessage(e: DomainEventOf<'camera.health'>): CameraStatus {
  const msg: CameraStatus = { type: 'camera.status', cameraId: e.cameraId, online: e.online }
  if (e.state !== undefined) msg.state = e.state
  if (e.lastError !== undefined) msg.lastError = e.lastError
  if (e.nextRetryAt !== undefined) msg.nextRetryAt = e.nextRetryAt
  return msg
}

/** Subscribes the live channel to the camera facts; returns the unsubscribe function. */
export function startCameraLive(stream: Pick<DomainEventStream, 'on'>, live: LiveHub): () => void {
  const offChanged = stream.on('camera.changed', 'camera-live', (e) => {
    if (e.change === 'deleted') {
      live.publish({ type: 'camera.removed', cameraId: e.cameraId })
      return
    }
    const camera = e.camera
    if (!camera || e.change === 'token') return
    live.publish({
      type: 'camera.status',
      cameraId: e.cameraId,
      online: camera.isOnline,
      camera: viewOf(camera),
    })
    live.publish({ type: 'camera.config', cameraId: e.cameraId, camera }, { adminOnly: true })
  })
  const offHealth = stream.on('camera.health', 'camera-live', (e) => publishStatus(live, healthMessage(e)))
  return () => {
    offChanged()
    offHealth()
  }
}

/** A relay state change that is not a committed fact: everyone sees it, errors in detail only admins. */
export function publishRelayState(live: LiveHub, s: CameraRelayState): void {
  publishStatus(live, { type: 'camera.status', ...s })
}

/** Everyone gets the status with a guard-safe error; admins then get the detail (guard-safe.ts). */
function publishStatus(live: LiveHub, msg: CameraStatus): void {
  if (!msg.lastError) return live.publish(msg)
  live.publish({ ...msg, lastError: guardError(msg.lastError) })
  live.publish(msg, { adminOnly: true })
}
