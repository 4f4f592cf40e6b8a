/**
 * The station's committed domain facts: one typed event per fact, published on the domain event stream
 * (src/main/events/domain-stream.ts) only after the transaction that holds it has committed, in commit
 * order. Caches, the live channel, the video relay and the rule engine subscribe to it; nobody calls them
 * from the place that writes. Pure types: the renderer shares the payload shapes.
 */
import type { BuzzerRequest, StationEvent } from '../schemas/entities'
import type { AdminCamera } from '../schemas/cameras'
import type { CameraState } from '../schemas/video'
import type { MotionSettings } from '../schemas/motion'
import type { Alarm, AreaArming } from '../schemas/alarms'

/** One reading as committed (the readings queue publishes every reading of a commit in one event). */
export interface CommittedReading {
  deviceId: string
  sensor: string
  value: number
  /** As the device sent it (absent: the sensor's unit is unchanged). */
  unit?: string | undefined
  ts: number
}

/** A sensor's newest value after a commit (with the sensor's unit). */
export interface LatestReading extends CommittedReading {
  unit: string
}

/** What happened to a row: created, updated, deleted, or only its credential (token) changed. */
export type RowChange = 'created' | 'updated' | 'deleted' | 'token'

export interface DomainEventMap {
  /** Every reading of one commit, in arrival order (batch delivery keeps 50,000 readings/s cheap). */
  'reading.committed': {
    readings: readonly CommittedReading[]
    /** The newest value per device and sensor in this commit (what live views and caches need). */
    latest: readonly LatestReading[]
    /** Devices this commit registered (first reading from an unknown device). */
    newDevices: readonly string[]
  }
  /** A device went online/offline or (dis)connected its WebSocket. */
  'device.presence': {
    deviceId: string
    online: boolean
    connected: boolean
    lastSeenAt: number | null
    change: 'online' | 'offline' | 'connected' | 'disconnected'
  }
  /** A device row changed (admin rename/move/delete, token issued or revoked, registered by a heartbeat). */
  'device.changed': { deviceIds: readonly string[]; change: RowChange }
  /**
   * A camera's committed health flipped (online/offline), with the relay's state and reason when the write
   * committed. last_seen_at refreshes publish nothing.
   */
  'camera.health': {
    cameraId: number
    online: boolean
    state?: CameraState | undefined
    lastError?: string | null | undefined
    nextRetryAt?: number | null | undefined
  }
  /**
   * A camera row changed: created, updated, deleted, or its push token issued/revoked ('token'). The admin
   * view is attached for created/updated (its URL with secrets masked; never credentials): subscribers that
   * publish it further decide who may see it.
   */
  'camera.changed': { cameraId: number; change: RowChange; camera?: AdminCamera | undefined }
  'buzzer.status': { request: BuzzerRequest }
  'event.recorded': { events: readonly StationEvent[] }
  'event.acknowledged': { event: StationEvent }
  /** A rule raised an alarm from a station event: the event now links to it (`alarmId`). */
  'event.linked': { event: StationEvent }
  'area.changed': { areaId: number; change: RowChange }
  'user.changed': { userId: number; change: RowChange | 'role' | 'password' }
  /** Sessions ended: one (sign-out, `tokenHash` set) or all of a user's (deleted, demoted, new password). */
  'session.ended': { userId: number; tokenHash?: string | undefined }
  'settings.changed': { keys: readonly string[] }
  /**
   * Motion on a camera started or ended (issue 11): `area` is the share of the watched zones that moved
   * (0..1; at its peak for `end`), `at` epoch ms. Recorders (events mode, marks) and alarm rules use it.
   */
  'camera.motion': { cameraId: number; state: 'start' | 'end'; area: number; at: number }
  /**
   * Motion in one of a camera's zones started or ended: `zone` its index (0..), `name` its name (null when
   * it has none), `area` the share of that zone that moved. Alarm rules that watch zones use it.
   */
  'camera.zone-motion': {
    cameraId: number
    zone: number
    name: string | null
    state: 'start' | 'end'
    area: number
    at: number
  }
  /** A camera's motion settings changed (an admin's write committed): its detector follows. */
  'motion.changed': { cameraId: number; settings: MotionSettings }
  /** A recorded segment was indexed (its row committed): storage figures, timelines. */
  'recording.segment': {
    cameraId: number
    segmentId: number
    start: number
    end: number
    bytes: number
  }
  /** Segments were deleted (retention, an admin): timelines and storage figures. */
  'recording.deleted': {
    cameraIds: readonly number[]
    segments: number
    bytes: number
    /**
     * The same per camera, when the deleter knows it (retention always does): storage figures follow it
     * exactly; without it they re-read those cameras' totals from the index.
     */
    byCamera?: readonly { cameraId: number; segments: number; bytes: number }[]
  }
  /** A camera's recording state changed (started, waiting for an event, failed with the reason). */
  'recording.state': {
    cameraId: number
    state: 'off' | 'recording' | 'waiting' | 'failed'
    lastError: string | null
  }
  /** An alarm opened, repeated, was acknowledged, assigned, escalated or cleared (issue 12). */
  'alarm.changed': { alarm: Alarm }
  /** A guard armed or disarmed an area. */
  'area.arming': { arming: AreaArming }
}

export type DomainEventType = keyof DomainEventMap

/** A committed fact: `{ type, ...payload }`, discriminated by `type`. */
export type DomainEvent = { [K in DomainEventType]: { type: K } & DomainEventMap[K] }[DomainEventType]

export type DomainEventOf<K extends DomainEventType> = Extract<DomainEvent, { type: K }>

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  'reading.committed',
  'device.presence',
  'device.changed',
  'camera.health',
  'camera.changed',
  'buzzer.status',
  'event.recorded',
  'event.acknowledged',
  'event.linked',
  'area.changed',
  'user.changed',
  'session.ended',
  'settings.changed',
  'camera.motion',
  'camera.zone-motion',
  'motion.changed',
  'recording.segment',
  'recording.deleted',
  'recording.state',
  'alarm.changed',
  'area.arming',
]
