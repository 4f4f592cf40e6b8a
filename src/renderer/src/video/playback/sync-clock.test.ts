import { describe, expect, it } from 'vitest'
import { correction, SyncClock } from './sync-clock'

describe('sync clock', () => {
  it('runs at the rate while playing, stands still when paused', () => {
    let perf = 0
    const c = new SyncClock(() => perf)
    c.set(1000)
    perf = 500
    expect(c.now()).toBe(1000)
    c.play()
    perf = 1500
    expect(c.now()).toBe(2000)
    c.setRate(4)
    perf = 2000
    expect(c.now()).toBe(4000)
    c.pause()
    perf = 9000
    expect(c.now()).toBe(4000)
  })

  it('followers: nothing within 40 ms, a nudged rate up to the seek bound, then a seek', () => {
    expect(correction(1020, 1000, 1)).toEqual({ kind: 'none', rate: 1 })
    const ahead = correction(1200, 1000, 1)
    expect(ahead.kind).toBe('nudge')
    expect(ahead.kind === 'nudge' && ahead.rate).toBeLessThan(1)
    const behind = correction(800, 1000, 2)
    expect(behind.kind === 'nudge' && behind.rate).toBeGreaterThan(2)
    expect(correction(2000, 1000, 1)).toEqual({ kind: 'seek' })
    // At 8x a second of drift is still caught by the rate (the bound grows with the speed).
    expect(correction(1900, 1000, 8).kind).toBe('nudge')
  })
})
