/** What the station's audit rules read (given by the audit plugin: each domain's own safe view). */
import type { AdminCamera } from '../../../shared/schemas/cameras'
import type { Area, Device, StationEvent, User } from '../../../shared/schemas/entities'
import type { StationSettings } from '../../../shared/schemas/station-settings'
import type { AuditRule } from '../audit-rules'

export interface AuditSources {
  user(id: number): User | undefined
  userByName(username: string): User | undefined
  /** The admin view: URL secrets masked, credentials only as `hasCredentials`. */
  camera(id: number): AdminCamera | null | undefined
  device(id: string): Device | undefined
  area(id: number): Area | undefined
  event(id: number): StationEvent | undefined
  stationSettings(): StationSettings
}

export type RuleSet = Record<string, AuditRule>

export type Body = Record<string, unknown> | undefined
export const bodyOf = (req: { body?: unknown }): Body =>
  req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : undefined
