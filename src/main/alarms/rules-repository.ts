/** Alarm rules and their engine state in SQLite (main connection: admins' edits and state changes are rare). */
import type { Db } from '../database/open'
import type { Rule, RuleInput, RuleState } from '../../shared/schemas/alarms'

interface RuleRow {
  id: number
  name: string
  enabled: number
  disabled_reason: string | null
  definition: string
  created_at: number
  updated_at: number
  phase: RuleState['phase'] | null
  pending_since: number | null
  pending_at: number | null
  active_since: number | null
  cleared_at: number | null
}

/** A rule as stored: its definition still unchecked JSON (the engine validates it when it loads it). */
export interface StoredRule {
  id: number
  name: string
  enabled: boolean
  disabledReason: string | null
  definition: unknown
  createdAt: number
  updatedAt: number
  state: PersistedState
}

/** The engine's state of a rule; `pendingAt` is the station time the pending began (for the sweep). */
export interface PersistedState extends RuleState {
  pendingAt: number | null
}

export const IDLE: PersistedState = {
  phase: 'idle',
  pendingSince: null,
  pendingAt: null,
  activeSince: null,
  clearedAt: null,
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

const toStored = (r: RuleRow): StoredRule => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  definition: parse(r.definition),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  state: r.phase
    ? {
        phase: r.phase,
        pendingSince: r.pending_since,
        pendingAt: r.pending_at,
        activeSince: r.active_since,
        clearedAt: r.cleared_at,
      }
    : IDLE,
})

/** What a rule's definition column holds: the input without name and enabled (own columns). */
export const definitionOf = (input: RuleInput) => ({
  severity: input.severity,
  trigger: input.trigger,
  schedule: input.schedule ?? null,
  armedAreaId: input.armedAreaId ?? null,
  actions: input.actions ?? {},
})

export function toRule(s: StoredRule, def: ReturnType<typeof definitionOf>): Rule {
  return {
    id: s.id,
    name: s.name,
    enabled: s.enabled,
    disabledReason: s.disabledReason,
    ...def,
    state: {
      phase: s.state.phase,
      pendingSince: s.state.pendingSince,
      activeSince: s.state.activeSince,
      clearedAt: s.state.clearedAt,
    },
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  }
}

const SELECT = `SELECT r.*, s.phase, s.pending_since, s.pending_at, s.active_since, s.cleared_at
                  FROM alarm_rules r LEFT JOIN alarm_rule_state s ON s.rule_id = r.id`

export class RulesRepository {
  private readonly all
  private readonly byId
  private readonly insert
  private readonly update
  private readonly remove
  private readonly disableStmt
  private readonly saveState

  constructor(db: Db) {
    this.all = db.prepare<[], RuleRow>(`${SELECT} ORDER BY r.id`)
    this.byId = db.prepare<[number], RuleRow>(`${SELECT} WHERE r.id = ?`)
    this.insert = db.prepare<[string, number, string, number, number]>(
      'INSERT INTO alarm_rules (name, enabled, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.update = db.prepare<[string, number, string, number, number]>(
      `UPDATE alarm_rules SET name = ?, enabled = ?, disabled_reason = NULL, definition = ?, updated_at = ?
        WHERE id = ?`,
    )
    this.remove = db.prepare<[number]>('DELETE FROM alarm_rules WHERE id = ?')
    this.disableStmt = db.prepare<[string, number, number]>(
      'UPDATE alarm_rules SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?',
    )
    this.saveState = db.prepare<
      [number, string, number | null, number | null, number | null, number | null, number]
    >(
      `INSERT INTO alarm_rule_state (rule_id, phase, pending_since, pending_at, active_since, cleared_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule_id) DO UPDATE SET phase = excluded.phase, pending_since = excluded.pending_since,
         pending_at = excluded.pending_at, active_since = excluded.active_since,
         cleared_at = excluded.cleared_at, updated_at = excluded.updated_at`,
    )
  }

  list(): StoredRule[] {
    return this.all.all().map(toStored)
  }

  get(id: number): StoredRule | undefined {
    const r = this.byId.get(id)
    return r && toStored(r)
  }

  create(input: RuleInput, now = Date.now()): StoredRule {
    const info = this.insert.run(
      input.name,
      input.enabled === false ? 0 : 1,
      JSON.stringify(definitionOf(input)),
      now,
      now,
    )
    return this.get(Number(info.lastInsertRowid))!
  }

  /** Replaces a rule's definition (and re-enables it unless `enabled: false`); its state starts over. */
  replace(id: number, input: RuleInput, now = Date.now()): StoredRule | undefined {
    const changed =
      this.update.run(
        input.name,
        input.enabled === false ? 0 : 1,
        JSON.stringify(definitionOf(input)),
        now,
        id,
      ).changes > 0
    if (!changed) return undefined
    this.setState(id, IDLE, now)
    return this.get(id)
  }

  delete(id: number): boolean {
    return this.remove.run(id).changes > 0
  }

  disable(id: number, reason: string, now = Date.now()): void {
    this.disableStmt.run(reason.slice(0, 500), now, id)
  }

  setState(id: number, s: PersistedState, now = Date.now()): void {
    this.saveState.run(id, s.phase, s.pendingSince, s.pendingAt, s.activeSince, s.clearedAt, now)
  }
}
