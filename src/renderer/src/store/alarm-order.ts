/** Pure helpers of the alarm console: its order, the loudest alarm waiting, the fields rule actions add. */
import type { Alarm, AlarmSeverity } from '../../../shared/contract'

const STATE_RANK: Record<Alarm['state'], number> = { active: 0, acknowledged: 1, cleared: 2 }
export const SEVERITY_RANK: Record<AlarmSeverity, number> = { critical: 0, warning: 1, info: 2 }

/** Active (unacknowledged) first, then acknowledged, then cleared; each by severity, then newest. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.openedAt - a.openedAt ||
      b.id - a.id,
  )
}

/** The highest severity among alarms nobody has acknowledged (what the desk sounds), or null. */
export function loudestActive(alarms: readonly Alarm[]): AlarmSeverity | null {
  let best: AlarmSeverity | null = null
  for (const a of alarms) {
    if (a.state !== 'active') continue
    if (best === null || SEVERITY_RANK[a.severity] < SEVERITY_RANK[best]) best = a.severity
  }
  return best
}
