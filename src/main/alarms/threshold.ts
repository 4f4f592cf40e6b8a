/**
 * A threshold trigger as a pure function of one value: is the alarm condition met (`trip`), has it ended
 * (`clear`, past the hysteresis level), or neither (between the levels: the phase stays as it is).
 */
import type { ThresholdTrigger } from '../../shared/schemas/alarms'

export interface Levels {
  trip: (v: number) => boolean
  clear: (v: number) => boolean
}

/** Checks the levels (an admin's mistake is a 400, not a rule that never fires). Returns an error or null. */
export function thresholdProblem(t: ThresholdTrigger): string | null {
  if (t.op === 'above' || t.op === 'below') {
    if (t.level === undefined) return `"${t.op}" needs a level`
    if (t.clearLevel !== undefined && (t.op === 'above' ? t.clearLevel > t.level : t.clearLevel < t.level)) {
      return `the clear level must be ${t.op === 'above' ? 'at or below' : 'at or above'} the level`
    }
    return null
  }
  if (t.low === undefined || t.high === undefined) return '"outside" needs low and high'
  if (t.low > t.high) return 'low must not be above high'
  const cl = t.clearLow ?? t.low
  const ch = t.clearHigh ?? t.high
  if (cl < t.low || ch > t.high || cl > ch) return 'the clear band must lie inside [low, high]'
  return null
}

export function levelsOf(t: ThresholdTrigger): Levels {
  const problem = thresholdProblem(t)
  if (problem) throw new Error(problem)
  if (t.op === 'above') {
    const level = t.level!
    const clear = t.clearLevel ?? level
    return { trip: (v) => v > level, clear: (v) => v < clear || (clear === level && v <= level) }
  }
  if (t.op === 'below') {
    const level = t.level!
    const clear = t.clearLevel ?? level
    return { trip: (v) => v < level, clear: (v) => v > clear || (clear === level && v >= level) }
  }
  const low = t.low!
  const high = t.high!
  const cl = t.clearLow ?? low
  const ch = t.clearHigh ?? high
  return { trip: (v) => v < low || v > high, clear: (v) => v >= cl && v <= ch }
}
