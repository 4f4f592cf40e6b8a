import { describe, expect, it } from 'vitest'
import {
  DAY,
  HOUR,
  MINUTE,
  around,
  dayOf,
  rangeFrom,
  ticks,
  timeAt,
  visibleRanges,
  xOf,
  zoom,
} from './time-scale'

const T = new Date(2026, 2, 1, 2, 0, 0).getTime()

describe('time scale', () => {
  const w = { from: T, to: T + HOUR }

  it('maps times to pixels and back', () => {
    expect(xOf(w, 600, T + 30 * MINUTE)).toBe(300)
    expect(timeAt(w, 600, 300)).toBe(T + 30 * MINUTE)
    expect(timeAt(w, 600, -5)).toBe(T)
    expect(timeAt(w, 600, 900)).toBe(T + HOUR)
  })

  it('zooms around a point, between a minute and a day', () => {
    const at = T + 15 * MINUTE
    const z = zoom(w, 0.5, at)
    expect(z.to - z.from).toBe(30 * MINUTE)
    expect(xOf(z, 600, at)).toBeCloseTo(xOf(w, 600, at))
    expect(zoom(w, 1e-6, at).to - zoom(w, 1e-6, at).from).toBe(MINUTE)
    expect(zoom(w, 1e6, at).to - zoom(w, 1e6, at).from).toBe(DAY)
    expect(around(T, 10 * MINUTE)).toEqual({ from: T - 5 * MINUTE, to: T + 5 * MINUTE })
  })

  it('the local day holds the time', () => {
    const d = dayOf(T)
    expect(new Date(d.from).getHours()).toBe(0)
    expect(d.from).toBeLessThanOrEqual(T)
    expect(d.to).toBeGreaterThan(T)
  })

  it('ticks: a day in hours, a minute in seconds, aligned to the clock', () => {
    const day = ticks(dayOf(T), 2000)
    expect(day.step).toBe(HOUR)
    expect(day.times).toHaveLength(24)
    expect(new Date(day.times[0]!).getMinutes()).toBe(0)
    const min = ticks({ from: T + 1234, to: T + 1234 + MINUTE }, 1200)
    expect(min.step).toBe(5000)
    expect(min.times[0]! % 1000).toBe(0)
  })

  it('finds the range at or after a time; clips ranges to the window', () => {
    const ranges = [
      { start: T, end: T + 10_000 },
      { start: T + 20_000, end: T + 30_000 },
    ]
    expect(rangeFrom(ranges, T + 5000)).toBe(ranges[0])
    expect(rangeFrom(ranges, T + 15_000)).toBe(ranges[1])
    expect(rangeFrom(ranges, T + 40_000)).toBeUndefined()
    expect(visibleRanges(ranges, { from: T + 5000, to: T + 25_000 })).toEqual([
      { start: T + 5000, end: T + 10_000 },
      { start: T + 20_000, end: T + 25_000 },
    ])
    expect(visibleRanges(ranges, { from: T + 9999, to: T + 20_001 }, 10)).toEqual([])
  })
})
