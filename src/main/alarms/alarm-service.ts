/**
 * The alarm workflow: active (unacknowledged) → acknowledged (by whom, when, note) → cleared (the
 * condition ended, or a guard resolved it), with every step in the alarm's history. A rule has at most one
 * open alarm: its condition recurring meanwhile counts a repeat. Every committed change goes out as
 * `alarm.changed` on the domain event stream (live desks follow it from there).
 */
import type { DomainEventStream } from '../events/domain-stream'
import { errors } from '../server/errors'
import type { Alarm, AlarmQuery, AlarmSeverity } from '../../shared/schemas/alarms'
import type { BuzzerRequest } from '../../shared/schemas/entities'
import type { AlarmsRepository, AlarmPatch, HistoryInput } from './alarms-repository'
import type { CompiledRule } from './compile-rule'
import type { RuleSource } from './rule-engine'
import type { SnapshotOutcome } from './snapshots/snapshot-repository'

const RANK: Record<AlarmSeverity, number> = { info: 0, warning: 1, critical: 2 }

export interface AlarmActionRunner {
  /** Sounds the siren, starts and protects recordings (after the alarm is committed; never throws). */
  onOpened(alarm: Alarm, rule: CompiledRule): void
}

export class AlarmService {
  /** Buzzer request id → alarm id, for the siren's acknowledgement. */
  private readonly sirens = new Map<string, number>()
  actions: AlarmActionRunner | undefined
  /** The engine opened an alarm, or cleared one when its condition ended (system audit entries). */
  onSystemChange: ((action: 'alarm.opened' | 'alarm.cleared', alarm: Alarm) => void) | undefined

  constructor(
    private readonly deps: { repo: AlarmsRepository; stream: DomainEventStream; now?: () => number },
  ) {}

  private get now(): number {
    return this.deps.now?.() ?? Date.now()
  }

  get(id: number): Alarm | undefined {
    return this.deps.repo.get(id)
  }

  detail(id: number) {
    const alarm = this.deps.repo.get(id)
    return alarm && { ...alarm, history: this.deps.repo.history(id) }
  }

  list(q: AlarmQuery): Alarm[] {
    return this.deps.repo.list(q)
  }

  /** The rule fired: opens its alarm, or counts a repeat on the one still open. */
  raise(rule: CompiledRule, source: RuleSource, message: string, at: number): Alarm {
    const open = this.deps.repo.openForRule(rule.id)
    if (open) {
      return this.change(
        open.id,
        { repeat_count: open.repeatCount + 1, last_triggered_at: at, condition_ended_at: null },
        { kind: 'repeat', note: message },
      )
    }
    const esc = rule.actions.escalate
    const alarm = this.deps.repo.open(
      {
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        sourceKind: source.kind,
        sourceId: source.id,
        message: message.slice(0, 1000),
        at,
        escalateAt: esc ? at + esc.afterSeconds * 1000 : null,
        escalateTo: esc ? esc.severity : null,
        fullscreenCameraIds: rule.actions.fullscreen?.cameraIds ?? [],
      },
      { kind: 'opened', actor: source.kind === 'user' ? source.id : null, note: message },
    )
    this.publish(alarm)
    if (source.kind !== 'user') this.onSystemChange?.('alarm.opened', alarm)
    this.actions?.onOpened(alarm, rule)
    return alarm
  }

  /** The rule's condition ended: an acknowledged alarm clears; an unacknowledged one waits for its guard. */
  conditionEnded(ruleId: number, at: number): void {
    const open = this.deps.repo.openForRule(ruleId)
    if (!open || open.conditionEndedAt !== null) return
    if (open.state === 'acknowledged') {
      const alarm = this.change(
        open.id,
        { condition_ended_at: at, ...cleared(at, null, 'condition') },
        { kind: 'cleared' },
      )
      this.onSystemChange?.('alarm.cleared', alarm)
    } else {
      this.change(open.id, { condition_ended_at: at }, { kind: 'condition-ended' })
    }
  }

  acknowledge(id: number, by: string, note: string | undefined): Alarm {
    const a = this.open(id)
    if (a.state !== 'active') throw errors.conflict(`Alarm ${id} is already acknowledged`)
    const at = this.now
    const patch: AlarmPatch = { state: 'acknowledged', acked_at: at, acked_by: by, ack_note: note ?? null }
    // Its condition already ended: acknowledging is all it waited for.
    if (a.conditionEndedAt !== null) Object.assign(patch, cleared(at, by, 'condition'))
    return this.change(id, patch, { kind: 'acknowledged', actor: by, note: note ?? null })
  }

  resolve(id: number, by: string, note: string | undefined): Alarm {
    const a = this.open(id)
    const at = this.now
    const patch: AlarmPatch = cleared(at, by, 'resolved')
    if (a.ackedAt === null) Object.assign(patch, { acked_at: at, acked_by: by })
    return this.change(id, patch, { kind: 'resolved', actor: by, note: note ?? null })
  }

  assign(id: number, by: string, assignee: string | null, note: string | undefined): Alarm {
    this.open(id)
    return this.change(
      id,
      { assigned_to: assignee },
      { kind: 'assigned', actor: by, note: note ?? null, detail: { assignee } },
    )
  }

  /** A guard's note in the alarm's history (what was checked, who was called); open or cleared alike. */
  addNote(id: number, by: string, note: string): Alarm {
    if (!this.deps.repo.get(id)) throw errors.notFound(`Alarm ${id}`)
    return this.change(id, {}, { kind: 'note', actor: by, note })
  }

  /** Unacknowledged alarms past their escalation time get the rule's higher severity. */
  escalateDue(now = this.now): void {
    for (const a of this.deps.repo.dueForEscalation(now)) {
      const to = this.deps.repo.escalation(a.id).to ?? a.severity
      const severity = RANK[to] > RANK[a.severity] ? to : a.severity
      this.change(
        a.id,
        { severity, escalated_at: now },
        { kind: 'escalated', detail: { from: a.severity, to: severity } },
      )
    }
  }

  /** Records what an action did (siren, recording) on the alarm. */
  note(id: number, patch: AlarmPatch, history: HistoryInput | null): Alarm {
    return this.change(id, patch, history)
  }

  /** The alarm's pictures are in (rows written): its history says which cameras gave none, desks update. */
  snapshotsTaken(id: number, outcomes: readonly SnapshotOutcome[]): Alarm {
    const missing = outcomes.filter((o): o is Extract<SnapshotOutcome, { error: string }> => 'error' in o)
    const note = missing.map((o) => `Camera ${o.cameraId} gave no picture: ${o.error}`).join('; ')
    return this.change(
      id,
      {},
      {
        kind: 'snapshot',
        note: note ? note.slice(0, 2000) : null,
        detail: outcomes.map((o) => ({
          cameraId: o.cameraId,
          at: o.at,
          error: 'error' in o ? o.error : null,
        })),
      },
    )
  }

  trackSiren(requestId: string, alarmId: number): void {
    this.sirens.set(requestId, alarmId)
  }

  /** The buzzer lifecycle moved: the alarm's siren says whether it sounded. */
  onBuzzerStatus(r: BuzzerRequest): void {
    const alarmId = this.sirens.get(r.id)
    if (alarmId === undefined) return
    const a = this.deps.repo.get(alarmId)
    if (!a?.siren || a.siren.status === r.status) return
    const done = r.status === 'acknowledged' || r.status === 'failed' || r.status === 'expired'
    if (done) this.sirens.delete(r.id)
    this.change(
      alarmId,
      { siren: { ...a.siren, status: r.status, error: r.error } },
      done ? { kind: 'siren', detail: { status: r.status, error: r.error } } : null,
    )
  }

  private open(id: number): Alarm {
    const a = this.deps.repo.get(id)
    if (!a) throw errors.notFound(`Alarm ${id}`)
    if (a.state === 'cleared') throw errors.conflict(`Alarm ${id} is already cleared`)
    return a
  }

  private change(id: number, patch: AlarmPatch, history: HistoryInput | null): Alarm {
    const alarm = this.deps.repo.change(id, patch, this.now, history)
    if (!alarm) throw errors.notFound(`Alarm ${id}`)
    this.publish(alarm)
    return alarm
  }

  private publish(alarm: Alarm): void {
    this.deps.stream.publish({ type: 'alarm.changed', alarm })
  }
}

function cleared(at: number, by: string | null, reason: 'condition' | 'resolved'): AlarmPatch {
  return { state: 'cleared', cleared_at: at, cleared_by: by, clear_reason: reason }
}
