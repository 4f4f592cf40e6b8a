import { describe, expect, it } from 'vitest'
import { liveEdgeAction, trimRange, type BufferedRange } from './live-edge'

const at = (currentTime: number, ranges: BufferedRange[], playbackRate = 1, stalledS = 0) =>
  liveEdgeAction({ currentTime, ranges, playbackRate, stalledS })
const r = (start: number, end: number): BufferedRange => ({ start, end })

describe('liveEdgeAction', () => {
  it('does nothing at the edge, or with nothing buffered', () => {
    expect(at(9.9, [r(0, 10)])).toEqual({ type: 'none' })
    expect(at(0, [])).toEqual({ type: 'none' })
    expect(at(0, [], 1.1)).toEqual({ type: 'rate', rate: 1 })
  })

  it('jumps to just before the end when more than a second behind', () => {
    expect(at(5, [r(0, 10)])).toEqual({ type: 'seek', to: 9.9, why: 'behind' })
    // Before the first range (a stream starting at its camera's clock): same.
    expect(at(0, [r(3600, 3603)])).toEqual({ type: 'seek', to: 3602.9, why: 'behind' })
    // A range shorter than the margin: its start.
    expect(at(0, [r(0, 1), r(9.95, 10)])).toEqual({ type: 'seek', to: 9.95, why: 'behind' })
  })

  it('speeds up a little behind, more further behind, and holds the rate until near the edge', () => {
    expect(at(9.7, [r(0, 10)])).toEqual({ type: 'rate', rate: 1.05 })
    expect(at(9.5, [r(0, 10)])).toEqual({ type: 'rate', rate: 1.1 })
    // Caught up part of the way: the faster rate holds.
    expect(at(9.7, [r(0, 10)], 1.1)).toEqual({ type: 'none' })
    expect(at(9.85, [r(0, 10)], 1.05)).toEqual({ type: 'none' })
    // Between "near" and "a little behind" at normal speed: stays.
    expect(at(9.85, [r(0, 10)], 1)).toEqual({ type: 'none' })
    expect(at(9.95, [r(0, 10)], 1.05)).toEqual({ type: 'rate', rate: 1 })
  })

  it('jumps over a gap at the end of a range, and out of a gap', () => {
    expect(at(4.95, [r(0, 5), r(5.4, 5.8)])).toEqual({ type: 'seek', to: 5.4, why: 'gap' })
    expect(at(5.1, [r(0, 5), r(5.4, 5.8)])).toEqual({ type: 'seek', to: 5.4, why: 'gap' })
    // Not yet at the end of the range: plays on (faster: 0.9 s behind the newest data).
    expect(at(4.7, [r(0, 5), r(5.4, 5.6)], 1.1)).toEqual({ type: 'none' })
  })

  it('jumps back to the newest data when the playhead is past everything', () => {
    expect(at(100, [r(0, 2)])).toEqual({ type: 'seek', to: 1.9, why: 'outside' })
  })

  it('jumps to the edge when stalled with data ahead, not when stalled at the edge', () => {
    expect(at(9.5, [r(0, 10)], 1, 0.6)).toEqual({ type: 'seek', to: 9.9, why: 'stall' })
    expect(at(9.95, [r(0, 10)], 1, 5)).toEqual({ type: 'none' })
  })
})

describe('trimRange', () => {
  it('removes what is more than keepS behind, in steps of slackS', () => {
    expect(trimRange(12, [r(0, 12.5)], 10, 5)).toBeNull()
    expect(trimRange(15, [r(0, 15.5)], 10, 5)).toEqual({ start: 0, end: 5 })
    expect(trimRange(18, [r(5, 18.5)], 10, 5)).toBeNull()
    expect(trimRange(20, [r(5, 20.5)], 10, 5)).toEqual({ start: 0, end: 10 })
    expect(trimRange(20, [], 10, 5)).toBeNull()
  })
})
