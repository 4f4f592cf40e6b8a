/** Messages on `/ws/live`, the UI's live channel. Serialized once per message, not per subscriber. */
import { Type } from '@sinclair/typebox'
import type { BuzzerRequest, StationEvent } from './entities'
import type { AdminCamera, CameraView } from './cameras'
import type { CameraState } from './video'
import type { Alarm, AreaArming } from './alarms'

/** `/ws/live?token=`: browsers cannot set headers on a WebSocket, so the session token may come here. */
export const LiveQuery = Type.Object(
  { token: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false },
)

/** A camera's state in the relay (see CameraState): the same states the video statistics report. */
export type CameraLiveState = CameraState

export type LiveMessage =
  | { type: 'hello'; serverTime: number; user: { username: string; role: string } }
  | { type: 'reading'; deviceId: string; sensor: string; value: number; unit: string; ts: number }
  | {
      type: 'device.status'
      deviceId: string
      online: boolean
      connected: boolean
      lastSeenAt: number | null
    }
  | {
      type: 'camera.status'
      cameraId: number
      /** Online as the database holds it (isOnline). */
      online: boolean
      /** The relay's view, when it comes from the video hub (see CameraLiveState). */
      state?: CameraLiveState
      /** Why the camera is not online (connection refused, no frame for 10 s, ...); null when fine. */
      lastError?: string | null
      /** Epoch ms of a pull camera's next connection attempt, while it is retrying. */
      nextRetryAt?: number | null
      /** The camera's view (never its URL), after an admin added or changed it. */
      camera?: CameraView
    }
  /**
   * Admins only: the admin view of a camera an admin added or changed (its URL, settings), sent after the
   * `camera.status` that carries its view.
   */
  | { type: 'camera.config'; cameraId: number; camera: AdminCamera }
  /**
   * Motion on a camera started or ended (`area`: share of the watched area that moved, 0..1; `at` epoch
   * ms): tiles show a badge while it lasts.
   */
  | { type: 'camera.motion'; cameraId: number; state: 'start' | 'end'; area: number; at: number }
  /** An admin removed a camera (its video ends; desks drop its tile). */
  | { type: 'camera.removed'; cameraId: number }
  | { type: 'buzzer.status'; request: BuzzerRequest }
  | { type: 'event'; event: StationEvent }
  | { type: 'event.acked'; event: StationEvent }
  /** An alarm's committed state, after each change: every desk shows the same console. */
  | { type: 'alarm'; alarm: Alarm }
  | { type: 'area.arming'; arming: AreaArming }
  | { type: 'stats'; stats: Record<string, unknown> }
  /**
   * Sent to a subscriber that was too slow and missed `missed` messages, once it keeps up again: what it
   * shows may be stale, so it reloads its lists.
   */
  | { type: 'resync'; missed: number }

export type LiveMessageType = LiveMessage['type']
