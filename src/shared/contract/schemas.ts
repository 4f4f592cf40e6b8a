/**
 * The schemas of each operation: the very objects its route declares (params, querystring, body, and the
 * `data` of its success answer), imported by both. The contract's argument and result types are derived
 * from them (`Operations` in ../contract), and a test checks every route uses these same objects, so a
 * change on either side fails the type check or that test.
 *
 * Runtime values: the station imports them; the renderer and the preload only their types (the page
 * never validates, the station does).
 */
import type { TSchema } from '@sinclair/typebox'
import { RecordingsDeleted, RecordingsDeleteQuery } from '../schemas/recording-retention'
import { StorageSummary } from '../schemas/recordings'
import { Credentials, LoggedOut, Me, NewSession, PasswordChange, Session, SessionEnds } from '../schemas/auth'
import { AreaChange, AreaInput, AreaList } from '../schemas/areas'
import { AreaArming, AreaArmingBody } from '../schemas/alarms'
import { AuditPage, AuditQuery } from '../schemas/audit'
import { Rule, RuleInput, RuleList } from '../schemas/alarms'
import {
  BuzzerDeviceParams,
  BuzzerRequestList,
  BuzzerRequestParams,
  BuzzerRequestsQuery,
  BuzzerTriggerBody,
  BuzzerTriggerResult,
} from '../schemas/buzzers'
import {
  AdminCamera,
  CameraChangeBody,
  CameraDeleted,
  CameraIdParams,
  CameraList,
  CameraStreamList,
  NewCameraBody,
  PushToken,
  PushTokenRevoked,
  StreamToken,
  StreamTokenBody,
} from '../schemas/cameras'
import { Deleted, IdParam } from '../schemas/common'
import {
  DeviceChange,
  DeviceDeleted,
  DeviceList,
  DeviceParams,
  DeviceToken,
  DeviceTokenRevoked,
} from '../schemas/devices'
import { Area, BuzzerRequest, Device, DeviceDetail, User } from '../schemas/entities'
import {
  EventAckBody,
  EventAckResult,
  EventBulkAckBody,
  EventBulkAckResult,
  EventsPage,
  EventsQuery,
} from '../schemas/events'
import {
  Alarm,
  AlarmAddNoteBody,
  AlarmAssignBody,
  AlarmDetail,
  AlarmList,
  AlarmNoteBody,
  AlarmQuery,
} from '../schemas/alarms'
import { CacheStatsSchema, MetricsSnapshotSchema } from '../schemas/metrics'
import { ReadingsQuery, ReadingsResult } from '../schemas/readings'
import { RecordingTimeline, RecordingsQuery } from '../schemas/recordings'
import {
  ExportJob,
  ExportJobParams,
  ExportParams,
  ExportRange,
  SegmentList,
  SegmentsQuery,
} from '../schemas/playback'
import { DeviceKey } from '../schemas/settings'
import { CacheInvalidateBody, CacheRemoved, Health } from '../schemas/station'
import { StationSettings, StationSettingsUpdate } from '../schemas/station-settings'
import { UserChange, UserCreate, UserList } from '../schemas/users'
import { VideoStatsSchema } from '../schemas/video'
import { MotionSettings, MotionSettingsBody, MotionStats } from '../schemas/motion'

export interface OperationSchemas {
  /** The path parameters (`:name` segments of the route). */
  params?: TSchema
  querystring?: TSchema
  /** The JSON body (POST, PUT). */
  body?: TSchema
  /** The `data` of the `{ success: true, data }` answer. */
  result: TSchema
  /** The success status, when it is not 200. */
  status?: 201 | 202
}

/**
 * Operation name → its schemas: every operation of the contract.
 */
export const OPERATION_SCHEMAS = {
  'health:get': { result: Health },

  'auth:login': { body: Credentials, result: Session },
  'auth:logout': { result: LoggedOut },
  'auth:me': { result: Me },
  'auth:renew': { result: SessionEnds },
  'auth:password': { body: PasswordChange, result: NewSession },

  'users:list': { result: UserList },
  'users:create': { body: UserCreate, result: User, status: 201 },
  'users:update': { params: IdParam, body: UserChange, result: User },
  'users:delete': { params: IdParam, result: Deleted },

  'cameras:list': { result: CameraList },
  'cameras:active': { result: CameraList },
  'cameras:create': { body: NewCameraBody, result: AdminCamera, status: 201 },
  'cameras:update': { params: IdParam, body: CameraChangeBody, result: AdminCamera },
  'cameras:delete': { params: IdParam, result: CameraDeleted },
  'stream:list': { result: CameraStreamList },
  'stream:token': { body: StreamTokenBody, result: StreamToken },
  'stream:stats': { result: VideoStatsSchema },
  'cameras:pushToken': { params: CameraIdParams, result: PushToken },
  'cameras:revokePushToken': { params: CameraIdParams, result: PushTokenRevoked },

  'motion:get': { params: IdParam, result: MotionSettings },
  'motion:update': { params: IdParam, body: MotionSettingsBody, result: MotionSettings },
  'motion:stats': { result: MotionStats },

  'areas:list': { result: AreaList },
  'areas:create': { body: AreaInput, result: Area, status: 201 },
  'areas:update': { params: IdParam, body: AreaChange, result: Area },
  'areas:delete': { params: IdParam, result: Deleted },
  'areas:arming': { params: IdParam, result: AreaArming },
  'areas:arm': { params: IdParam, body: AreaArmingBody, result: AreaArming },

  'devices:list': { result: DeviceList },
  'devices:get': { params: DeviceParams, result: DeviceDetail },
  'devices:update': { params: DeviceParams, body: DeviceChange, result: Device },
  'devices:delete': { params: DeviceParams, result: DeviceDeleted },
  'devices:issueToken': { params: DeviceParams, result: DeviceToken },
  'devices:revokeToken': { params: DeviceParams, result: DeviceTokenRevoked },
  'devices:readings': { params: DeviceParams, querystring: ReadingsQuery, result: ReadingsResult },

  'buzzer:trigger': { params: BuzzerDeviceParams, body: BuzzerTriggerBody, result: BuzzerTriggerResult },
  'buzzer:request': { params: BuzzerRequestParams, result: BuzzerRequest },
  'buzzer:requests': {
    params: BuzzerDeviceParams,
    querystring: BuzzerRequestsQuery,
    result: BuzzerRequestList,
  },

  'events:list': { querystring: EventsQuery, result: EventsPage },
  'events:ack': { params: IdParam, body: EventAckBody, result: EventAckResult },
  'events:ackMany': { body: EventBulkAckBody, result: EventBulkAckResult },

  'alarms:list': { querystring: AlarmQuery, result: AlarmList },
  'alarms:get': { params: IdParam, result: AlarmDetail },
  'alarms:ack': { params: IdParam, body: AlarmNoteBody, result: Alarm },
  'alarms:resolve': { params: IdParam, body: AlarmNoteBody, result: Alarm },
  'alarms:note': { params: IdParam, body: AlarmAddNoteBody, result: Alarm },
  'alarms:assign': { params: IdParam, body: AlarmAssignBody, result: Alarm },

  'cache:stats': { result: CacheStatsSchema },
  'cache:invalidate': { body: CacheInvalidateBody, result: CacheRemoved },
  'cache:clear': { result: CacheRemoved },

  'metrics:get': { result: MetricsSnapshotSchema },

  'settings:deviceKey': { result: DeviceKey },
  'settings:rotateDeviceKey': { result: DeviceKey },
  'settings:get': { result: StationSettings },
  'settings:update': { body: StationSettingsUpdate, result: StationSettings },

  'audit:list': { querystring: AuditQuery, result: AuditPage },
  'recordings:timeline': { querystring: RecordingsQuery, result: RecordingTimeline },
  'recordings:segments': { querystring: SegmentsQuery, result: SegmentList },
  'exports:start': { params: ExportParams, body: ExportRange, result: ExportJob, status: 202 },
  'exports:get': { params: ExportJobParams, result: ExportJob },
  'exports:cancel': { params: ExportJobParams, result: ExportJob },
  'recordings:storage': { result: StorageSummary },
  'recordings:delete': { querystring: RecordingsDeleteQuery, result: RecordingsDeleted },

  'rules:list': { result: RuleList },
  'rules:create': { body: RuleInput, result: Rule, status: 201 },
  'rules:update': { params: IdParam, body: RuleInput, result: Rule },
  'rules:delete': { params: IdParam, result: Deleted },
} as const satisfies Record<string, OperationSchemas>
