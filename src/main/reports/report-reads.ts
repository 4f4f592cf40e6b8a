/**
 * The read pool's report queries (spread into READ_QUERIES): the alarms that were open at some time in a
 * range (opened before its end, not cleared before its start), their history, and the areas guards armed
 * or disarmed in it (from the audit log).
 */
import { all, interruptEvery } from '../database/read-query-kit'
import { ALARM_SELECT, type AlarmRow } from '../alarms/alarms-repository'

interface Range {
  from: number
  to: number
  limit: number
}

const IN_RANGE = `a.opened_at < @to AND (a.cleared_at IS NULL OR a.cleared_at >= @from)`

export interface ReportHistoryRow {
  alarmId: number
  at: number
  kind: string
  actor: string | null
  note: string | null
}

export interface ReportArmingRow {
  at: number
  actor: string | null
  action: string
  areaId: string | null
}

export const REPORT_READS = {
  /** Oldest first, at most @limit. */
  'report.alarms': all<Range, AlarmRow>(
    `${ALARM_SELECT} WHERE ${IN_RANGE} AND ${interruptEvery('a.id')} ORDER BY a.opened_at, a.id LIMIT @limit`,
  ),
  /** The history of those alarms, in order. */
  'report.history': all<Range, ReportHistoryRow>(
    `SELECT h.alarm_id AS alarmId, h.at, h.kind, h.actor, h.note FROM alarm_history h
      WHERE h.alarm_id IN (SELECT a.id FROM alarms a WHERE ${IN_RANGE} ORDER BY a.opened_at, a.id LIMIT @limit)
        AND ${interruptEvery('h.id')}
      ORDER BY h.alarm_id, h.id`,
  ),
  'report.arming': all<Range, ReportArmingRow>(
    `SELECT at, actor_name AS actor, action, target_id AS areaId FROM audit_log
      WHERE action IN ('area.arm', 'area.disarm') AND at >= @from AND at < @to AND ${interruptEvery('seq')}
      ORDER BY seq LIMIT @limit`,
  ),
}
