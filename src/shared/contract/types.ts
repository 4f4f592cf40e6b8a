/**
 * Argument and result types of the station's operations that are not entities themselves (inputs,
 * statistics, small answers). Entities come from `../schemas/entities`.
 */
import type { BuzzerStatus, Role } from '../constants'
import type { Reading, ReadingBucket, StationEvent } from '../schemas/entities'

/** Statistics (and the video stream's status messages): one declaration each, in the station's schemas. */
export type * from '../schemas/metrics'
export type * from '../schemas/video'

export interface SessionUser {
  username: string
  role: Role
}
export interface Me extends SessionUser {
  id: number
}

export interface LoginArgs {
  username: string
  password: string
}
export interface LoginResult {
  token: string
  expiresAt: number
  user: SessionUser
}
export interface PasswordChange {
  currentPassword: string
  newPassword: string
}
/** A fresh session: other sessions of the user end. */
export interface NewSession {
  token: string
  expiresAt: number
}
export interface Deleted {
  deleted: boolean
  id: number
}

export interface UserCreate {
  username: string
  password: string
  role: Role
}
export interface UserUpdate {
  id: number
  password?: string
  role?: Role
}

/** Camera requests and answers: derived (Static<>) from the station's schemas in ../schemas/cameras. */
export type {
  AdminCamera,
  Camera,
  CameraDeleted,
  CameraInput,
  CameraUpdate,
  CameraView,
  PushToken,
  PushTokenRevoked,
  StreamEndpoints,
} from '../schemas/cameras'

export interface AreaInput {
  name: string
  description?: string
}
export type AreaUpdate = { id: number } & Partial<AreaInput>

export interface DeviceUpdate {
  id: string
  name?: string
  areaId?: number | null
}

export interface DeviceToken {
  deviceId: string
  /** Shown once: the station keeps only its hash. */
  token: string
}

export interface ReadingsQuery {
  id: string
  sensor?: string
  from?: number
  to?: number
  limit?: number
  offset?: number
  /** Bucket width in ms: answers min/max/avg/count per bucket instead of raw readings. */
  bucket?: number
}
export interface ReadingsResult {
  /** Readings in the range (all of them, not just this page). */
  total: number
  /** Newest first (without bucket). */
  readings?: Reading[]
  /** Oldest first (with bucket). */
  buckets?: ReadingBucket[]
  bucketMs?: number
}

export interface BuzzerTrigger {
  deviceId: string
  action: 'on' | 'off'
  durationMs?: number
  pattern?: 'continuous' | 'pulse' | 'sos'
}
export interface BuzzerTriggerResult {
  requestId: string
  status: BuzzerStatus
  expiresAt: number
}

export interface EventsQuery {
  /** true: only events nobody has acknowledged yet. */
  unacked?: boolean
  from?: number
  to?: number
  limit?: number
}
export interface EventsPage {
  /** Unacknowledged first, each group newest first. */
  events: StationEvent[]
  /** Every event matching the filter. */
  total: number
}
export interface EventAck {
  id: number
  note?: string
}
export interface EventAckResult {
  event: StationEvent
  alreadyAcknowledged: boolean
}

export interface CacheRemoved {
  count: number
  message: string
}

export interface DeviceKey {
  deviceKey: string
  header: 'x-device-key'
  /** environment: fixed by STATION_DEVICE_KEY (rotate it there); station: generated and stored. */
  source: 'environment' | 'station'
}

export interface Health {
  status: 'ok'
  uptimeSeconds: number
  database: 'sqlite' | 'memory'
  serverTime: number
}

export interface Empty {
  [key: string]: never
}

/** A short-lived token that opens viewer endpoints (`?token=`) for an <img> or a browser WebSocket. */
export interface StreamToken {
  token: string
  /** Open viewers before then (open streams go on). */
  expiresAt: number
  ttlMs: number
}
