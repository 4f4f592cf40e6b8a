/**
 * The one typed contract between the station and its UI: every operation the renderer may call, with
 * its arguments and result, plus the live events. Main (IPC dispatcher), preload and renderer all import
 * it, so a change on one side fails the type check on the other.
 *
 * The types are derived from the route schemas (`contract/schemas.ts`: the objects the routes declare),
 * so a route's params, query, body or answer cannot drift from what the UI sends and reads.
 *
 * Arguments are one flat object: keys named in the path template (`:id`) fill the path, the rest go
 * into the query (GET, DELETE) or the JSON body (POST, PUT). Results are the `data` of the station's
 * `{ success: true, data }` envelope. Pure data: no Node, DOM or Electron; only types are imported here
 * (the preload and the renderer bundle no schemas).
 */
import type { Static, TSchema } from '@sinclair/typebox'
import type { LiveMessage } from './schemas/live'
import type { OPERATION_SCHEMAS } from './contract/schemas'

export type { LiveMessage, LiveMessageType } from './schemas/live'
export type {
  StationSetting,
  StationSettingKey,
  StationSettings,
  StationSettingsUpdate,
} from './schemas/station-settings'
export type * from './contract/types'

type Op<A, R> = { args: A; result: R }
type NoArgs = Record<string, never>

/** The type of one schema part of an operation, or `unknown` when the operation has none. */
type Part<S, K extends 'params' | 'querystring' | 'body'> = S extends { [P in K]: infer X extends TSchema }
  ? Static<X>
  : unknown
type Flat<T> = { [K in keyof T]: T[K] }
/** The flat arguments: path parameters, query and body together; `NoArgs` when there are none. */
type ArgsFrom<S> = unknown extends Part<S, 'params'> & Part<S, 'querystring'> & Part<S, 'body'>
  ? NoArgs
  : Flat<Part<S, 'params'> & Part<S, 'querystring'> & Part<S, 'body'>>

type Schemas = typeof OPERATION_SCHEMAS

/** Every operation's types, from its route schemas (contract/schemas.ts). */
type SchemaOperations = {
  [K in keyof Schemas]: Op<ArgsFrom<Schemas[K]>, Static<Schemas[K]['result']>>
}

/**
 * Operation name → argument and result types. Station settings (`settings:get`, `settings:update`): what
 * runs now, what is saved, what an environment variable fixes; saving applies most keys on the next start
 * (null: back to the default).
 */
export type Operations = SchemaOperations

export type OperationName = keyof Operations
export type ArgsOf<K extends OperationName> = Operations[K]['args']
export type ResultOf<K extends OperationName> = Operations[K]['result']

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'
/** Who may call an operation (mirrors the route's `config.auth`; the station enforces it). */
export type Access = 'public' | 'guard' | 'admin'

export interface Route {
  method: HttpMethod
  /** Path template; `:name` segments are filled from the arguments of the same name. */
  path: string
  access: Access
}

/** How each operation reaches the station over HTTP (the web transport and the IPC dispatcher share it). */
export const OPERATIONS = {
  'health:get': { method: 'GET', path: '/api/health', access: 'public' },

  'auth:login': { method: 'POST', path: '/api/auth/login', access: 'public' },
  'auth:logout': { method: 'POST', path: '/api/auth/logout', access: 'guard' },
  'auth:me': { method: 'GET', path: '/api/auth/me', access: 'guard' },
  'auth:renew': { method: 'POST', path: '/api/auth/renew', access: 'guard' },
  'auth:password': { method: 'PUT', path: '/api/auth/password', access: 'guard' },

  'users:list': { method: 'GET', path: '/api/users', access: 'admin' },
  'users:create': { method: 'POST', path: '/api/users', access: 'admin' },
  'users:update': { method: 'PUT', path: '/api/users/:id', access: 'admin' },
  'users:delete': { method: 'DELETE', path: '/api/users/:id', access: 'admin' },

  'cameras:list': { method: 'GET', path: '/api/cameras', access: 'guard' },
  'cameras:active': { method: 'GET', path: '/api/cameras/active', access: 'guard' },
  'cameras:create': { method: 'POST', path: '/api/cameras', access: 'admin' },
  'cameras:update': { method: 'PUT', path: '/api/cameras/:id', access: 'admin' },
  'cameras:delete': { method: 'DELETE', path: '/api/cameras/:id', access: 'admin' },
  'stream:list': { method: 'GET', path: '/api/stream', access: 'guard' },
  'stream:token': { method: 'POST', path: '/api/v1/stream/token', access: 'guard' },
  'stream:stats': { method: 'GET', path: '/api/v1/stream/stats', access: 'guard' },
  'cameras:pushToken': { method: 'POST', path: '/api/v1/stream/:cameraId/push-token', access: 'admin' },
  'cameras:revokePushToken': {
    method: 'DELETE',
    path: '/api/v1/stream/:cameraId/push-token',
    access: 'admin',
  },

  'motion:get': { method: 'GET', path: '/api/cameras/:id/motion', access: 'guard' },
  'motion:update': { method: 'PUT', path: '/api/cameras/:id/motion', access: 'admin' },
  'motion:stats': { method: 'GET', path: '/api/v1/motion/stats', access: 'guard' },

  'areas:list': { method: 'GET', path: '/api/areas', access: 'guard' },
  'areas:create': { method: 'POST', path: '/api/areas', access: 'admin' },
  'areas:update': { method: 'PUT', path: '/api/areas/:id', access: 'admin' },
  'areas:delete': { method: 'DELETE', path: '/api/areas/:id', access: 'admin' },
  'areas:arming': { method: 'GET', path: '/api/areas/:id/arming', access: 'guard' },
  'areas:arm': { method: 'POST', path: '/api/areas/:id/arming', access: 'guard' },

  'devices:list': { method: 'GET', path: '/api/v1/devices', access: 'guard' },
  'devices:get': { method: 'GET', path: '/api/v1/devices/:id', access: 'guard' },
  'devices:update': { method: 'PUT', path: '/api/v1/devices/:id', access: 'admin' },
  'devices:delete': { method: 'DELETE', path: '/api/v1/devices/:id', access: 'admin' },
  'devices:issueToken': { method: 'POST', path: '/api/v1/devices/:id/token', access: 'admin' },
  'devices:revokeToken': { method: 'DELETE', path: '/api/v1/devices/:id/token', access: 'admin' },
  'devices:readings': { method: 'GET', path: '/api/v1/devices/:id/readings', access: 'guard' },

  'buzzer:trigger': { method: 'POST', path: '/api/v1/buzzer/:deviceId', access: 'guard' },
  'buzzer:request': { method: 'GET', path: '/api/v1/buzzer/requests/:id', access: 'guard' },
  'buzzer:requests': { method: 'GET', path: '/api/v1/buzzer/:deviceId/requests', access: 'guard' },

  'events:list': { method: 'GET', path: '/api/events', access: 'guard' },
  'events:ack': { method: 'POST', path: '/api/events/:id/ack', access: 'guard' },
  'events:ackMany': { method: 'POST', path: '/api/events/ack', access: 'guard' },

  'alarms:list': { method: 'GET', path: '/api/alarms', access: 'guard' },
  'alarms:get': { method: 'GET', path: '/api/alarms/:id', access: 'guard' },
  'alarms:ack': { method: 'POST', path: '/api/alarms/:id/ack', access: 'guard' },
  'alarms:resolve': { method: 'POST', path: '/api/alarms/:id/resolve', access: 'guard' },
  'alarms:note': { method: 'POST', path: '/api/alarms/:id/note', access: 'guard' },
  'alarms:assign': { method: 'POST', path: '/api/alarms/:id/assign', access: 'guard' },

  'cache:stats': { method: 'GET', path: '/api/cache/stats', access: 'admin' },
  'cache:invalidate': { method: 'POST', path: '/api/cache/invalidate', access: 'admin' },
  'cache:clear': { method: 'POST', path: '/api/cache/clear', access: 'admin' },

  'metrics:get': { method: 'GET', path: '/api/metrics', access: 'admin' },

  'settings:deviceKey': { method: 'GET', path: '/api/settings/device-key', access: 'admin' },
  'settings:rotateDeviceKey': { method: 'POST', path: '/api/settings/device-key/rotate', access: 'admin' },
  'settings:get': { method: 'GET', path: '/api/settings/station', access: 'admin' },
  'settings:update': { method: 'PUT', path: '/api/settings/station', access: 'admin' },

  'audit:list': { method: 'GET', path: '/api/audit', access: 'admin' },
  'recordings:timeline': { method: 'GET', path: '/api/v1/recordings', access: 'guard' },
  'recordings:segments': { method: 'GET', path: '/api/v1/recordings/segments', access: 'guard' },
  'exports:start': { method: 'POST', path: '/api/v1/recordings/:cameraId/exports', access: 'guard' },
  'exports:get': { method: 'GET', path: '/api/v1/recordings/exports/:id', access: 'guard' },
  'exports:cancel': { method: 'DELETE', path: '/api/v1/recordings/exports/:id', access: 'guard' },
  'recordings:storage': { method: 'GET', path: '/api/v1/recordings/storage', access: 'guard' },
  'recordings:delete': { method: 'DELETE', path: '/api/v1/recordings', access: 'admin' },

  'rules:list': { method: 'GET', path: '/api/rules', access: 'admin' },
  'rules:create': { method: 'POST', path: '/api/rules', access: 'admin' },
  'rules:update': { method: 'PUT', path: '/api/rules/:id', access: 'admin' },
  'rules:delete': { method: 'DELETE', path: '/api/rules/:id', access: 'admin' },
} as const satisfies Record<OperationName, Route>

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[]

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, name)
}

/** Live event type → its message (from `/ws/live`, or the IPC live bridge). */
export type LiveEvents = { [K in LiveMessage['type']]: Extract<LiveMessage, { type: K }> }

/** The channels between preload and main. Only src/preload and src/main/ipc use them. */
export const IPC_CHANNELS = {
  request: 'station:request',
  liveStart: 'station:live-start',
  liveStop: 'station:live-stop',
  live: 'station:live',
  liveState: 'station:live-state',
  /** The desk asks for the window to come to the front (a critical alarm). No arguments, no answer. */
  focusWindow: 'station:focus-window',
} as const

/** What the IPC request channel answers: the station's envelope, never a thrown Error across the bridge. */
export type IpcResult<R = unknown> =
  { ok: true; status: number; data: R } | { ok: false; status: number; code: string; message: string }

/** What the preload exposes as `window.station` (checked there with `satisfies`). */
export interface StationBridge {
  readonly kind: 'ipc'
  request<K extends OperationName>(
    op: K,
    args: ArgsOf<K>,
    token: string | null,
  ): Promise<IpcResult<ResultOf<K>>>
  /** Subscribes to live messages for the session; returns the unsubscribe function. */
  onLive(
    token: string,
    listener: (msg: LiveMessage) => void,
    onState: (state: LiveBridgeState) => void,
  ): () => void
  /** Brings the desktop window to the front (the main process bounds how often). */
  focusWindow(): void
}

export type LiveBridgeState = { state: 'open' } | { state: 'closed'; code: number; reason: string }
