/**
 * Alarm rules for the admins' editor (`rules:*`), and the site's time zone (`health:get`), the default of
 * schedules without their own. Every change reloads the list, so each rule's engine state is current.
 */
import type { Rule, RuleInput } from '../../../shared/schemas/alarms'
import { NO_ARGS } from '../transport/types'
import { attempt, type ActionResult } from './result'
import { errorMessage, type Slice, type StoreDeps } from './types'

export interface RulesData {
  rules: Rule[]
  rulesError: string | null
  siteTimeZone: string | null
}

export interface RulesSlice extends RulesData {
  loadRules(): Promise<void>
  saveRule(id: number | null, input: RuleInput): Promise<ActionResult<Rule>>
  deleteRule(id: number): Promise<ActionResult<unknown>>
}

export const RULES_INITIAL: RulesData = { rules: [], rulesError: null, siteTimeZone: null }

export const createRulesSlice =
  (deps: StoreDeps): Slice<RulesSlice> =>
  (set, get) => ({
    ...RULES_INITIAL,
    async loadRules() {
      try {
        const [rules, health] = await Promise.all([
          deps.transport.request('rules:list', NO_ARGS),
          deps.transport.request('health:get', NO_ARGS),
        ])
        set({ rules, siteTimeZone: health.timeZone, rulesError: null })
      } catch (err) {
        set({ rulesError: errorMessage(err) })
      }
    },
    async saveRule(id, input) {
      const res = await attempt(() =>
        id === null
          ? deps.transport.request('rules:create', input)
          : deps.transport.request('rules:update', { id, ...input }),
      )
      if (res.ok) await get().loadRules()
      return res
    },
    async deleteRule(id) {
      const res = await attempt(() => deps.transport.request('rules:delete', { id }))
      if (res.ok) await get().loadRules()
      return res
    },
  })
