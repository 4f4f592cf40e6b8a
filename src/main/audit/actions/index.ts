/**
 * Every audit rule of the station's routes, by name (the name a route gives in `config.audit`). A new
 * domain adds a file here and a line below, or defines its rules from its own plugin with
 * `app.audit.define()`; its action names go in `AUDIT_ACTIONS` (src/shared/schemas/audit.ts).
 */
import { areaRules } from './areas'
import { authRules } from './auth'
import { cameraRules } from './cameras'
import { deviceRules } from './devices'
import { operationRules } from './operations'
import { recordingRules } from './recordings'
import { reportRules } from './reports'
import { settingsRules } from './settings'
import type { AuditSources, RuleSet } from './types'
import { userRules } from './users'

export type { AuditSources }

export function stationAuditRules(src: AuditSources): RuleSet {
  return {
    ...authRules(src),
    ...userRules(src),
    ...cameraRules(src),
    ...deviceRules(src),
    ...areaRules(src),
    ...settingsRules(src),
    ...operationRules(src),
    ...recordingRules(),
    ...reportRules(),
  }
}
