/**
 * Named argument and result types of the station's operations, for the code that uses them. All are
 * derived from the route schemas in `../schemas`, except the camera ones below (see `CameraOperations`
 * in ../contract).
 */
import type { ArgsOf } from '../contract'

/** Statistics (and the video stream's status messages): one declaration each, in the station's schemas. */
export type * from '../schemas/metrics'
export type * from '../schemas/video'
export type { Me, NewSession, PasswordChange, SessionEnds, SessionUser } from '../schemas/auth'
export type { AreaInput } from '../schemas/areas'
export type { BuzzerTriggerResult } from '../schemas/buzzers'
export type { Deleted } from '../schemas/common'
export type { DeviceToken } from '../schemas/devices'
export type { EventAckResult, EventBulkAckResult, EventsPage, EventsQuery } from '../schemas/events'
export type { Alarm, AlarmDetail, AlarmHistoryEntry, AlarmQuery, AlarmSeverity } from '../schemas/alarms'
export type { ReadingsQuery, ReadingsResult } from '../schemas/readings'
export type { RecordedRange, RecordingMark, RecordingSegment, RecordingTimeline } from '../schemas/recordings'
export type { ExportJob, ExportState } from '../schemas/playback'
export type { CameraStorage, StorageSummary } from '../schemas/recordings'
export type { RecordingsDeleted } from '../schemas/recording-retention'
export type { DeviceKey } from '../schemas/settings'
export type { CacheRemoved, Health } from '../schemas/station'
export type { UserCreate } from '../schemas/users'

/** Path parameters and body together, as the contract's operations take them. */
export type UserUpdate = ArgsOf<'users:update'>
export type AreaUpdate = ArgsOf<'areas:update'>
export type DeviceUpdate = ArgsOf<'devices:update'>
export type BuzzerTrigger = ArgsOf<'buzzer:trigger'>

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

/** A short-lived token that opens viewer endpoints (`?token=`) for an <img> or a browser WebSocket. */
export interface StreamToken {
  token: string
  /** Open viewers before then (open streams go on). */
  expiresAt: number
  ttlMs: number
}
