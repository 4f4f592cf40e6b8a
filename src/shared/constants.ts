/** Values both the station and the UI rely on. Pure data: no Node, DOM or Electron. */

export const DEFAULT_PORT = 8787
export const ROLES = ['admin', 'guard'] as const
export type Role = (typeof ROLES)[number]

export const CAMERA_KINDS = ['push', 'mjpeg', 'snapshot', 'rtsp'] as const
export type CameraKind = (typeof CAMERA_KINDS)[number]
/** URL schemes a camera may point at; anything else (file:, exec:, javascript:...) is refused. */
export const CAMERA_URL_SCHEMES = ['http:', 'https:', 'rtsp:', 'rtsps:'] as const
/** How an RTSP camera's video travels: RTP interleaved in the RTSP TCP connection (default), or UDP. */
export const RTSP_TRANSPORTS = ['tcp', 'udp'] as const
export type RtspTransport = (typeof RTSP_TRANSPORTS)[number]

export const BUZZER_STATUSES = ['queued', 'sent', 'acknowledged', 'expired', 'failed'] as const
export type BuzzerStatus = (typeof BUZZER_STATUSES)[number]
export const BUZZER_ACTIONS = ['on', 'off'] as const
/**
 * What a device can say it does (`capabilities` in its heartbeat), limited to what the station acts on:
 * `buzzer`, it sounds buzzer commands. A device that never said (older firmware) has `null` capabilities.
 */
export const DEVICE_CAPABILITIES = ['buzzer'] as const
export type DeviceCapability = (typeof DEVICE_CAPABILITIES)[number]
export const BUZZER_PATTERNS = ['continuous', 'pulse', 'sos'] as const

export const EVENT_TYPES = [
  'camera.offline',
  'camera.online',
  'camera.motion',
  'device.offline',
  'device.online',
  'buzzer.failed',
  'buzzer.expired',
  'queue.overload',
  'audit.chain-broken',
  'recording.failed',
  'recording.resumed',
  'storage.protected_over_quota',
  'storage.low_space',
  'storage.database_fault',
  'storage.recovered',
  'alarm.rule-disabled',
] as const
export type EventType = (typeof EVENT_TYPES)[number]
export const EVENT_SEVERITIES = ['info', 'warning', 'critical'] as const
export type EventSeverity = (typeof EVENT_SEVERITIES)[number]
/**
 * Events that demand a guard: warnings and above sound, count in the badge and wait for an acknowledgement.
 * Info events ("X is online") are listed only. The station's `unacked` filter (read-queries.ts) is the same rule.
 */
export const eventNeedsAck = (e: { severity: EventSeverity; ackedAt: number | null }): boolean =>
  e.severity !== 'info' && e.ackedAt === null

/** Limits of the device protocol (documented in docs/device-protocol.md). */
export const MAX_READINGS_PER_BATCH = 1000
export const MAX_SENSOR_NAME = 64
export const MAX_DEVICE_ID = 64
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'
export const SENSOR_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$'

/** Header a device sends the site key in. */
export const DEVICE_KEY_HEADER = 'x-device-key'
