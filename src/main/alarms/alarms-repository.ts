/**
 * Alarms and their history in SQLite (main connection: alarms open, change and clear at a guard's pace).
 * Every change of an alarm and its history entry are one transaction.
 */
import type { Db } from '../database/open'
import type {
  Alarm,
  AlarmHistoryEntry,
  AlarmQuery,
  AlarmRecording,
  AlarmSeverity,
  AlarmSiren,
  AlarmSnapshot,
} from '../../shared/schemas/alarms'

export interface AlarmRow {
  id: number
  rule_id: number
  rule_name: string
  severity: AlarmSeverity
  state: Alarm['state']
  source_kind: string
  source_id: string
  message: string
  opened_at: number
  last_triggered_at: number
  repeat_count: number
  condition_ended_at: number | null
  acked_at: number | null
  acked_by: string | null
  ack_note: string | null
  assigned_to: string | null
  cleared_at: number | null
  cleared_by: string | null
  clear_reason: Alarm['clearReason']
  escalate_at: number | null
  escalate_to: AlarmSeverity | null
  escalated_at: number | null
  siren: string | null
  recordings: string
  fullscreen_camera_ids: string
  /** JSON array of the alarm's pictures (the SELECT's subquery over alarm_snapshots). */
  snapshots: string | null
}

/** An alarm row with its pictures (alarm_snapshots rows that have a file). */
export const ALARM_SELECT = `SELECT a.*, (SELECT json_group_array(json_object('cameraId', s.camera_id, 'at', s.at))
    FROM alarm_snapshots s WHERE s.alarm_id = a.id AND s.file IS NOT NULL) AS snapshots FROM alarms a`

export const toAlarm = (r: AlarmRow): Alarm => ({
  id: r.id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  severity: r.severity,
  state: r.state,
  sourceKind: r.source_kind,
  sourceId: r.source_id,
  message: r.message,
  openedAt: r.opened_at,
  lastTriggeredAt: r.last_triggered_at,
  repeatCount: r.repeat_count,
  conditionEndedAt: r.condition_ended_at,
  ackedAt: r.acked_at,
  ackedBy: r.acked_by,
  ackNote: r.ack_note,
  assignedTo: r.assigned_to,
  clearedAt: r.cleared_at,
  clearedBy: r.cleared_by,
  clearReason: r.clear_reason,
  escalatedAt: r.escalated_at,
  siren: r.siren === null ? null : (JSON.parse(r.siren) as AlarmSiren),
  recordings: JSON.parse(r.recordings) as AlarmRecording[],
  fullscreenCameraIds: JSON.parse(r.fullscreen_camera_ids) as number[],
  snapshots: ((r.snapshots === null ? [] : JSON.parse(r.snapshots)) as AlarmSnapshot[]).sort(
    (x, y) => x.cameraId - y.cameraId,
  ),
})

export interface NewAlarm {
  ruleId: number
  ruleName: string
  severity: AlarmSeverity
  sourceKind: string
  sourceId: string
  message: string
  at: number
  escalateAt: number | null
  escalateTo: AlarmSeverity | null
  fullscreenCameraIds: readonly number[]
}

export interface HistoryInput {
  kind: string
  actor?: string | null
  note?: string | null
  detail?: unknown
}

/** Columns a change may set (snake_case, as stored). */
export type AlarmPatch = Partial<
  Omit<AlarmRow, 'id' | 'rule_id' | 'siren' | 'recordings' | 'fullscreen_camera_ids' | 'snapshots'>
> & {
  siren?: AlarmSiren | null
  recordings?: AlarmRecording[]
}

export class AlarmsRepository {
  private readonly byId
  private readonly openOfRule
  private readonly insert
  private readonly addHistory
  private readonly historyOf
  private readonly dueEscalations

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], AlarmRow>(`${ALARM_SELECT} WHERE a.id = ?`)
    this.openOfRule = db.prepare<[number], AlarmRow>(
      `${ALARM_SELECT} WHERE a.rule_id = ? AND a.state != 'cleared'`,
    )
    this.insert = db.prepare<
      [number, string, string, string, string, string, number, number, number | null, string | null, string]
    >(
      `INSERT INTO alarms (rule_id, rule_name, severity, state, source_kind, source_id, message, opened_at,
                           last_triggered_at, escalate_at, escalate_to, fullscreen_camera_ids)
       VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.addHistory = db.prepare<[number, number, string, string | null, string | null, string | null]>(
      'INSERT INTO alarm_history (alarm_id, at, kind, actor, note, detail) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.historyOf = db.prepare<
      [number],
      { at: number; kind: string; actor: string | null; note: string | null; detail: string | null }
    >('SELECT at, kind, actor, note, detail FROM alarm_history WHERE alarm_id = ? ORDER BY id')
    this.dueEscalations = db.prepare<[number], AlarmRow>(
      `${ALARM_SELECT} WHERE a.state = 'active' AND a.escalated_at IS NULL AND a.escalate_at IS NOT NULL
          AND a.escalate_at <= ?`,
    )
  }

  get(id: number): Alarm | undefined {
    const r = this.byId.get(id)
    return r && toAlarm(r)
  }

  openForRule(ruleId: number): Alarm | undefined {
    const r = this.openOfRule.get(ruleId)
    return r && toAlarm(r)
  }

  /** Escalation target of an alarm (not part of the public view). */
  escalation(id: number): { at: number | null; to: AlarmSeverity | null } {
    const r = this.byId.get(id)
    return { at: r?.escalate_at ?? null, to: r?.escalate_to ?? null }
  }

  dueForEscalation(now: number): Alarm[] {
    return this.dueEscalations.all(now).map(toAlarm)
  }

  list(q: AlarmQuery): Alarm[] {
    const where: string[] = []
    const args: (string | number)[] = []
    const add = (clause: string, value: string | number) => {
      where.push(clause)
      args.push(value)
    }
    if (q.state === 'open') where.push("state != 'cleared'")
    else if (q.state) add('state = ?', q.state)
    if (q.severity) add('severity = ?', q.severity)
    if (q.ruleId !== undefined) add('rule_id = ?', q.ruleId)
    if (q.from !== undefined) add('opened_at >= ?', q.from)
    if (q.to !== undefined) add('opened_at < ?', q.to)
    // Open alarms first, by severity, newest first: the console's order.
    const sql = `${ALARM_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY state = 'cleared', CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
               opened_at DESC, id DESC LIMIT ?`
    return this.db
      .prepare<(string | number)[], AlarmRow>(sql)
      .all(...args, q.limit ?? 100)
      .map(toAlarm)
  }

  history(id: number): AlarmHistoryEntry[] {
    return this.historyOf.all(id).map((h) => ({
      at: h.at,
      kind: h.kind,
      actor: h.actor,
      note: h.note,
      detail: h.detail === null ? null : (JSON.parse(h.detail) as unknown),
    }))
  }

  open(a: NewAlarm, history: HistoryInput): Alarm {
    return this.db.transaction(() => {
      const info = this.insert.run(
        a.ruleId,
        a.ruleName,
        a.severity,
        a.sourceKind,
        a.sourceId,
        a.message,
        a.at,
        a.at,
        a.escalateAt,
        a.escalateTo,
        JSON.stringify(a.fullscreenCameraIds),
      )
      const id = Number(info.lastInsertRowid)
      this.record(id, a.at, history)
      return this.get(id)!
    })()
  }

  /** Sets columns and adds a history entry, in one transaction. */
  change(id: number, patch: AlarmPatch, at: number, history: HistoryInput | null): Alarm | undefined {
    return this.db.transaction(() => {
      const cols = Object.keys(patch) as (keyof AlarmPatch)[]
      if (cols.length > 0) {
        const values = cols.map((c) => {
          const v = patch[c]
          return c === 'siren' || c === 'recordings' ? (v === null ? null : JSON.stringify(v)) : v
        })
        this.db
          .prepare(`UPDATE alarms SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`)
          .run(...values, id)
      }
      if (history) this.record(id, at, history)
      return this.get(id)
    })()
  }

  private record(id: number, at: number, h: HistoryInput): void {
    this.addHistory.run(
      id,
      at,
      h.kind,
      h.actor ?? null,
      h.note ?? null,
      h.detail === undefined ? null : JSON.stringify(h.detail),
    )
  }
}
