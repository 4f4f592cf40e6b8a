/**
 * Admins' rules: create, replace, delete, validated beyond the schema (levels that make sense, a time zone
 * Intl knows, an area that exists). Every change reloads the engine's index.
 */
import { errors } from '../server/errors'
import type { Rule, RuleInput } from '../../shared/schemas/alarms'
import { inputOf, ruleProblem } from './compile-rule'
import { definitionOf, toRule, type RulesRepository, type StoredRule } from './rules-repository'
import { isTimeZone } from './schedule'
import { Value } from '@sinclair/typebox/value'
import { RuleInput as RuleInputSchema } from '../../shared/schemas/alarms'

export interface RuleServiceDeps {
  repo: RulesRepository
  areaExists(id: number): boolean
  cameraExists(id: number): boolean
  /** The camera's motion zones (their names, null for a zone without one). */
  motionZones(cameraId: number): (string | null)[]
  /** Called after every change (the engine re-reads its rules). */
  changed(): void
}

/** The API's view of a stored rule; a definition that no longer validates shows as a disabled manual rule. */
export function viewOf(s: StoredRule): Rule {
  const input = inputOf(s)
  if (Value.Check(RuleInputSchema, input)) return toRule(s, definitionOf(input))
  return {
    ...toRule(s, definitionOf({ name: s.name, severity: 'warning', trigger: { kind: 'manual' } })),
    enabled: false,
    disabledReason: s.disabledReason ?? 'its stored definition is invalid',
  }
}

export class RuleService {
  constructor(private readonly deps: RuleServiceDeps) {}

  list(): Rule[] {
    return this.deps.repo.list().map(viewOf)
  }

  get(id: number): Rule | undefined {
    const s = this.deps.repo.get(id)
    return s && viewOf(s)
  }

  create(input: RuleInput): Rule {
    this.check(input)
    const s = this.deps.repo.create(input)
    this.deps.changed()
    return viewOf(s)
  }

  replace(id: number, input: RuleInput): Rule {
    this.check(input)
    const s = this.deps.repo.replace(id, input)
    if (!s) throw errors.notFound(`Rule ${id}`)
    this.deps.changed()
    return viewOf(s)
  }

  delete(id: number): boolean {
    const deleted = this.deps.repo.delete(id)
    if (deleted) this.deps.changed()
    return deleted
  }

  private check(input: RuleInput): void {
    const problem = ruleProblem(input)
    if (problem) throw errors.badRequest(problem)
    const zone = input.schedule?.timeZone
    if (zone !== undefined && !isTimeZone(zone)) throw errors.badRequest(`Unknown time zone "${zone}"`)
    if (input.armedAreaId !== undefined && !this.deps.areaExists(input.armedAreaId)) {
      throw errors.badRequest(`Area ${input.armedAreaId} does not exist`)
    }
    const t = input.trigger
    if (t.kind === 'camera-motion' && t.zones) {
      const zones = this.deps.motionZones(t.cameraId)
      const known = (z: string) =>
        zones.includes(z) || (/^\d+$/.test(z) && Number(z) >= 1 && Number(z) <= zones.length)
      const unknown = t.zones.filter((z) => !known(z))
      if (unknown.length > 0) {
        const names = zones.map((n, i) => (n ? `${i + 1} "${n}"` : String(i + 1))).join(', ')
        throw errors.badRequest(
          `Camera ${t.cameraId} has no motion zone ${unknown.map((z) => `"${z}"`).join(', ')} (its zones: ${names || 'none'})`,
        )
      }
    }
    const missing = (input.actions?.fullscreen?.cameraIds ?? []).filter((id) => !this.deps.cameraExists(id))
    if (missing.length > 0) {
      throw errors.badRequest(`Camera ${missing.join(', ')} to show fullscreen does not exist`)
    }
  }
}
