/**
 * Named argument and result types of the station's operations, for the code that uses them. All are
 * derived from the route schemas in `../schemas`, except the camera ones below (see `CameraOperations`
 * in ../contract).
 */
import type { CameraKind } from '../constants'
import type { ArgsOf } from '../contract'

/** Statistics (and the video stream's status messages): one declaration each, in the station's schemas. */
export type * from '../schemas/metrics'
export type * from '../schemas/video'
export type { Me, NewSession, PasswordChange, SessionUser } from '../schemas/auth'
export type { AreaInput } from '../schemas/areas'
export type { BuzzerTriggerResult } from '../schemas/buzzers'
export type { Deleted } from '../schemas/common'
export type { DeviceToken } from '../schemas/devices'
export type { EventAckResult, EventsPage, EventsQuery } from '../schemas/events'
export type { ReadingsQuery, ReadingsResult } from '../schemas/readings'
export type { DeviceKey } from '../schemas/settings'
export type { CacheRemoved, Health } from '../schemas/station'
export type { UserCreate } from '../schemas/users'

/** Path parameters and body together, as the contract's operations take them. */
export type UserUpdate = ArgsOf<'users:update'>
export type AreaUpdate = ArgsOf<'areas:update'>
export type DeviceUpdate = ArgsOf<'devices:update'>
export type BuzzerTrigger = ArgsOf<'buzzer:trigger'>

// Camera types, written by hand until the camera schemas move into src/shared/schemas.

export interface CameraInput {
  name: string
  kind: CameraKind
  /** For pull kinds (mjpeg, snapshot, rtsp): http:, https: or rtsp:. */
  url?: string | null
  /** Write-only: never returned by the station (null or '' clears). */
  username?: string | null
  password?: string | null
  areaId?: number | null
  enabled?: boolean
  fps?: number
  stayConnected?: boolean
}
export type CameraUpdate = { id: number } & Partial<CameraInput>

/** The station's own live endpoints for one enabled camera (never the camera's credentials). */
export interface StreamEndpoints {
  cameraId: number
  name: string
  kind: CameraKind
  online: boolean
  /** multipart MJPEG, usable in an <img> (`?fps=` for a lower rate). */
  mjpeg: string
  snapshot: string
  /** Binary JPEG frames over WebSocket. */
  ws: string
  /** Push cameras: where they send their frames. */
  ingest?: { http: string; ws: string }
}

/** A short-lived token that opens viewer endpoints (`?token=`) for an <img> or a browser WebSocket. */
export interface StreamToken {
  token: string
  /** Open viewers before then (open streams go on). */
  expiresAt: number
  ttlMs: number
}
