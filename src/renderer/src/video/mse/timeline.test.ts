import { describe, expect, it } from 'vitest'
import { Timeline } from './timeline'

describe('Timeline', () => {
  it('keeps fragments at their own times while they follow on, and small skips as gaps', () => {
    const t = new Timeline()
    expect(t.place(100, 0.04)).toBeNull()
    expect(t.place(100.04, 0.04)).toBeNull()
    // Frames skipped up to a keyframe 2 s later: a gap, not a re-base.
    expect(t.place(102.08, 0.04)).toBeNull()
    expect(t.offset).toBe(0)
  })

  it('re-bases a stream that starts again from zero right after what is buffered', () => {
    const t = new Timeline()
    t.place(100, 0.04)
    t.place(100.04, 0.04)
    expect(t.place(0, 0.04)).toBeCloseTo(100.08, 9)
    // The next fragments follow with the same offset.
    expect(t.place(0.04, 0.04)).toBeNull()
    expect(t.place(0.08, 0.04)).toBeNull()
  })

  it('re-bases a far jump ahead, and starts over after a reset', () => {
    const t = new Timeline()
    t.place(5, 1)
    expect(t.place(3600, 1)).toBe(6 - 3600)
    t.reset()
    expect(t.offset).toBe(0)
    expect(t.place(0, 1)).toBeNull()
  })
})
