/** Messages on `/ws/live`, the UI's live channel. Serialized once per message, not per subscriber. */
import type { BuzzerRequest, Camera, StationEvent } from './entities'

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
  | { type: 'camera.status'; cameraId: number; online: boolean; camera?: Camera }
  | { type: 'buzzer.status'; request: BuzzerRequest }
  | { type: 'event'; event: StationEvent }
  | { type: 'event.acked'; event: StationEvent }
  | { type: 'stats'; stats: Record<string, unknown> }

export type LiveMessageType = LiveMessage['type']
