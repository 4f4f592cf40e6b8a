/**
 * The audit log's names and limits, without schemas (the renderer imports these at run time; the schemas
 * are in ./schemas/audit.ts).
 */

/**
 * The actions the station records. Stored entries keep their action as text, so a name added here later
 * never makes older entries invalid; add new actions (rules, alarms, arming) here and in
 * `src/main/audit/actions/`.
 */
export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.renew',
  'user.create',
  'user.update',
  'user.password',
  'user.delete',
  'camera.create',
  'camera.update',
  'camera.delete',
  'motion.update',
  'device.update',
  'device.delete',
  'area.create',
  'area.update',
  'area.delete',
  'settings.update',
  'key.rotate',
  'token.issue',
  'token.revoke',
  'buzzer.trigger',
  'event.acknowledge',
  'event.acknowledge-many',
  'cache.invalidate',
  'cache.clear',
  'recording.export',
  'recording.export-cancel',
  'recording.record-now',
  'recording.delete',
  'area.arm',
  'area.disarm',
  'rule.create',
  'rule.update',
  'rule.delete',
  'alarm.raise',
  'alarm.acknowledge',
  'alarm.resolve',
  'alarm.assign',
  'alarm.note',
  'alarm.opened',
  'alarm.cleared',
  'report.export',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AUDIT_ACTOR_KINDS = ['user', 'device', 'system', 'anonymous'] as const
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number]

/** Where an action came from: a client's IP address, `desktop` (the app's own window, over IPC), `station`. */
export const DESKTOP_SOURCE = 'desktop'
export const STATION_SOURCE = 'station'

export const MAX_AUDIT_LIMIT = 1000
/** At most this many entries go into one CSV export (narrow the range for more). */
export const MAX_AUDIT_EXPORT = 100_000
