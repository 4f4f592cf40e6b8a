import { describe, expect, it } from 'vitest'
import { gapJump, mediaTime, timestampOffset, trimRange, wallTime, wanted } from './media-time'

const BASE = 1_772_330_400_000

describe('media time', () => {
  it('puts a segment whose tfdt continues the run at its wall time', () => {
    // Second segment of a run: starts 10 s into the run, its tfdt says 10 s (12800 ticks/s).
    const off = timestampOffset(BASE + 70_000, BASE + 60_000, 128_000, 12_800)
    expect(off).toBeCloseTo(0)
    // Its first frame lands at media time 10 s, which is wall BASE + 70 s.
    expect(wallTime(BASE + 60_000, 10 + off)).toBe(BASE + 70_000)
  })

  it('puts the first segment of a new run (tfdt from 0 again) after the gap', () => {
    const base = BASE
    const off = timestampOffset(BASE + 40_000, base, 0, 12_800)
    expect(off).toBe(40)
    expect(mediaTime(base, BASE + 45_000)).toBe(45)
  })

  it('picks the segment playing and those ahead, and what to trim behind', () => {
    const segs = [0, 10, 20, 30, 40].map((s, i) => ({ id: i, start: s * 1000, end: s * 1000 + 10_000 }))
    expect(wanted(segs, 15_000, 20_000).map((s) => s.id)).toEqual([1, 2, 3])
    expect(wanted(segs, 45_000, 20_000).map((s) => s.id)).toEqual([4])
    expect(trimRange(0, 100, 30)).toEqual([0, 70])
    expect(trimRange(69.5, 100, 30)).toBeNull()
    expect(trimRange(null, 100, 30)).toBeNull()
  })

  it('jumps a gap to the next buffered range, not inside data', () => {
    const b = [
      { start: 0, end: 30 },
      { start: 40, end: 60 },
    ]
    expect(gapJump(b, 10)).toBeNull()
    expect(gapJump(b, 30)).toBe(40)
    expect(gapJump(b, 35, 2)).toBeNull()
    expect(gapJump(b, 60)).toBeNull()
  })
})
