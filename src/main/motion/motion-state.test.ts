import { describe, expect, it } from 'vitest'
import { MotionState } from './motion-state'

describe('MotionState', () => {
  it('starts after frames in a row at the minimum and ends after the hold, with the peak', () => {
    const m = new MotionState({ minArea: 0.05, startFrames: 2, holdMs: 1000 })
    expect(m.frame(0.06, 0)).toBeNull()
    expect(m.frame(0.01, 300)).toBeNull()
    expect(m.frame(0.06, 600)).toBeNull()
    expect(m.frame(0.07, 900)).toEqual({ state: 'start', area: 0.07, at: 900 })
    expect(m.frame(0.2, 1200)).toBeNull()
    expect(m.frame(0.01, 1500)).toBeNull()
    // Back above within the hold: the same motion.
    expect(m.frame(0.06, 2000)).toBeNull()
    expect(m.frame(0.01, 2300)).toBeNull()
    expect(m.frame(0.0, 3000)).toBeNull()
    expect(m.frame(0.0, 3300)).toEqual({ state: 'end', area: 0.2, at: 2300 })
    expect(m.active).toBe(false)
    expect(m.frame(0.0, 3600)).toBeNull()
  })

  it('ends motion when frames stop coming, and when detection stops', () => {
    const m = new MotionState({ minArea: 0.05, startFrames: 1, holdMs: 1000 })
    expect(m.frame(0.1, 0)?.state).toBe('start')
    expect(m.idle(500)).toBeNull()
    expect(m.idle(1000)).toEqual({ state: 'end', area: 0.1, at: 0 })
    expect(m.idle(5000)).toBeNull()
    expect(m.frame(0.3, 6000)?.state).toBe('start')
    expect(m.stop(6100)).toEqual({ state: 'end', area: 0.3, at: 6000 })
    expect(m.stop(6200)).toBeNull()
  })
})
