/**
 * A rate-of-change trigger's memory: a small ring of time buckets (each `perSeconds / BUCKETS` long,
 * holding the lowest and highest value read in it), so a rule's memory stays the same at any reading rate.
 * `add` returns how much the sensor changed within the last `perSeconds` (reading time), up to the new
 * reading, in the trigger's direction; the resolution of the window is one bucket.
 */
import type { RateTrigger } from '../../shared/schemas/alarms'
import type { Levels } from './threshold'

export const BUCKETS = 16

export class RateWindow {
  private readonly bucketMs: number
  private readonly index = new Float64Array(BUCKETS).fill(-Infinity)
  private readonly min = new Float64Array(BUCKETS)
  private readonly max = new Float64Array(BUCKETS)
  private latest = -Infinity

  constructor(private readonly t: Pick<RateTrigger, 'direction' | 'perSeconds'>) {
    this.bucketMs = (t.perSeconds * 1000) / BUCKETS
  }

  /** Adds a reading and returns the change within the window (0 for a reading older than the window). */
  add(ts: number, value: number): number {
    const b = Math.floor(ts / this.bucketMs)
    if (b <= this.latest - BUCKETS) return 0
    const slot = ((b % BUCKETS) + BUCKETS) % BUCKETS
    if (this.index[slot] !== b) {
      this.index[slot] = b
      this.min[slot] = value
      this.max[slot] = value
    } else {
      if (value < this.min[slot]!) this.min[slot] = value
      if (value > this.max[slot]!) this.max[slot] = value
    }
    if (b > this.latest) this.latest = b
    let lo = value
    let hi = value
    for (let i = 0; i < BUCKETS; i++) {
      const at = this.index[i]!
      // Buckets within the window ending at this reading (not after it: a late reading sees its past).
      if (at > b - BUCKETS && at <= b) {
        if (this.min[i]! < lo) lo = this.min[i]!
        if (this.max[i]! > hi) hi = this.max[i]!
      }
    }
    const rise = value - lo
    const fall = hi - value
    return this.t.direction === 'rise' ? rise : this.t.direction === 'fall' ? fall : Math.max(rise, fall)
  }
}

/** Fires at a change of at least `amount`, clears below half of it. */
export function rateLevels(t: RateTrigger): Levels {
  const clearBelow = t.amount / 2
  return { trip: (change) => change >= t.amount, clear: (change) => change < clearBelow }
}
