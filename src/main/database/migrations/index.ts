/** Ordered migrations; PRAGMA user_version holds the number of the last one applied. */
import type Database from 'better-sqlite3'
import { m001Initial } from './001-initial'
import { m002CameraAllowLocal } from './002-camera-allow-local'
import { m003CameraRtspStreams } from './003-camera-rtsp-streams'
import { m004Recordings } from './004-recordings'
import { m005MotionSettings } from './005-motion-settings'
import { m006AuditLog } from './006-audit-log'
import { m007Alarms } from './007-alarms'
import { m008SessionsDevicesCapabilities } from './008-sessions-devices-capabilities'
import { m009AlarmFullscreen } from './009-alarm-fullscreen'
import { m010AlarmSnapshots } from './010-alarm-snapshots'
import { m011EventAlarmLink } from './011-event-alarm-link'

export interface Migration {
  version: number
  name: string
  up: (db: Database.Database) => void
}

export const MIGRATIONS: readonly Migration[] = [
  m001Initial,
  m002CameraAllowLocal,
  m003CameraRtspStreams,
  m004Recordings,
  m005MotionSettings,
  m006AuditLog,
  m007Alarms,
  m008SessionsDevicesCapabilities,
  m009AlarmFullscreen,
  m010AlarmSnapshots,
  m011EventAlarmLink,
]

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  const applied: number[] = []
  const current = schemaVersion(db)
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) {
    throw new Error(
      `Database schema version ${current} is newer than this station (${latest}); refusing to open it`,
    )
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
    applied.push(m.version)
  }
  return applied
}
