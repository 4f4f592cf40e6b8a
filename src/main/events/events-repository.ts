/** SQL for station events: inserts (run by the writer for the events queue), acknowledgements, point reads. */
import type { Db } from '../database/open'
import type { StationEvent } from '../../shared/schemas/entities'
import type { EventSeverity, EventType } from '../../shared/constants'

interface EventRow {
  id: number
  ts: number
  type: EventType
  severity: EventSeverity
  source_kind: string
  source_id: string
  message: string
  acked_at: number | null
  acked_by: string | null
  ack_note: string | null
  alarm_id: number | null
}

/** An event as written: everything but the id, which the insert assigns. */
export type EventDraft = Omit<StationEvent, 'id' | 'ackedAt' | 'ackedBy' | 'ackNote' | 'alarmId'>

export const toEvent = (r: EventRow): StationEvent => ({
  id: r.id,
  ts: r.ts,
  type: r.type,
  severity: r.severity,
  sourceKind: r.source_kind,
  sourceId: r.source_id,
  message: r.message,
  ackedAt: r.acked_at,
  ackedBy: r.acked_by,
  ackNote: r.ack_note,
  alarmId: r.alarm_id,
})

export class EventsRepository {
  private readonly insert
  private readonly byId
  private readonly ackStmt
  private readonly ackEach: (ids: readonly number[], by: string, note: string | null, at: number) => number[]
  private readonly linkStmt

  constructor(db: Db) {
    this.insert = db.prepare<[number, string, string, string, string, string]>(
      `INSERT INTO events (ts, type, severity, source_kind, source_id, message) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.byId = db.prepare<[number], EventRow>('SELECT * FROM events WHERE id = ?')
    this.ackStmt = db.prepare<[number, string, string | null, number]>(
      'UPDATE events SET acked_at = ?, acked_by = ?, ack_note = ? WHERE id = ? AND acked_at IS NULL',
    )
    this.ackEach = db.transaction((ids: readonly number[], by: string, note: string | null, at: number) =>
      ids.filter((id) => this.ackStmt.run(at, by, note, id).changes > 0),
    )
    this.linkStmt = db.prepare<[number, number]>(
      'UPDATE events SET alarm_id = ? WHERE id = ? AND alarm_id IS NULL',
    )
  }

  /** Inserts the drafts (inside the caller's transaction: the writer's 'events.insert'); ids in order. */
  insertEach(drafts: readonly EventDraft[]): number[] {
    return drafts.map((d) =>
      Number(this.insert.run(d.ts, d.type, d.severity, d.sourceKind, d.sourceId, d.message).lastInsertRowid),
    )
  }

  get(id: number): StationEvent | undefined {
    const r = this.byId.get(id)
    return r && toEvent(r)
  }

  /** Links the event to the alarm a rule raised from it (the first link is kept); true when linked now. */
  linkAlarm(id: number, alarmId: number): boolean {
    return this.linkStmt.run(alarmId, id).changes > 0
  }

  /** Records the acknowledgement unless one exists; true when this call recorded it. */
  acknowledge(id: number, by: string, note: string | null, at = Date.now()): boolean {
    return this.ackStmt.run(at, by, note, id).changes > 0
  }

  /** Acknowledges every event of `ids` not yet acknowledged, in one transaction; answers those it did. */
  acknowledgeMany(ids: readonly number[], by: string, note: string | null, at = Date.now()): number[] {
    return this.ackEach(ids, by, note, at)
  }
}
