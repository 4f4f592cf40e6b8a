/**
 * A stored rule made ready for the engine: its definition checked against the schema again (the column
 * may have been edited by hand or written by an older station) and its levels precomputed. Throws with
 * the reason when the rule cannot be evaluated; the engine then disables it.
 */
import { Value } from '@sinclair/typebox/value'
import {
  RuleInput,
  type ArmedSchedule,
  type AlarmSeverity,
  type RuleActions,
  type RuleTrigger,
} from '../../shared/schemas/alarms'
import { rateLevels } from './rate-window'
import { levelsOf, thresholdProblem, type Levels } from './threshold'
import type { StoredRule } from './rules-repository'

export interface CompiledRule {
  id: number
  name: string
  severity: AlarmSeverity
  trigger: RuleTrigger
  schedule: ArmedSchedule | null
  armedAreaId: number | null
  actions: RuleActions
  /** Threshold rules (of the value) and rate rules (of the change within the window). */
  levels: Levels | null
  /** Threshold and rate hold time in ms (0: fire at once). */
  holdMs: number
}

/** The input a stored rule corresponds to (nulls dropped), for validation and for the rules API. */
export function inputOf(s: StoredRule): unknown {
  const def = (s.definition ?? {}) as Record<string, unknown>
  if (typeof def !== 'object') return def
  const out: Record<string, unknown> = { name: s.name, enabled: s.enabled }
  for (const [k, v] of Object.entries(def)) if (v !== null) out[k] = v
  return out
}

export function ruleProblem(input: RuleInput): string | null {
  if (input.trigger.kind === 'threshold') return thresholdProblem(input.trigger)
  return null
}

export function compileRule(s: StoredRule): CompiledRule {
  const input = inputOf(s)
  if (!Value.Check(RuleInput, input)) {
    const first = Value.Errors(RuleInput, input).First()
    throw new Error(
      `its definition is invalid: ${first ? `${first.path} ${first.message}` : 'not an object'}`,
    )
  }
  const problem = ruleProblem(input)
  if (problem) throw new Error(problem)
  const t = input.trigger
  return {
    id: s.id,
    name: s.name,
    severity: input.severity,
    trigger: t,
    schedule: input.schedule ?? null,
    armedAreaId: input.armedAreaId ?? null,
    actions: input.actions ?? {},
    levels: t.kind === 'threshold' ? levelsOf(t) : t.kind === 'rate' ? rateLevels(t) : null,
    holdMs: t.kind === 'threshold' || t.kind === 'rate' ? (t.holdSeconds ?? 0) * 1000 : 0,
  }
}
