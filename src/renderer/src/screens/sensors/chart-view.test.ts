import { describe, expect, it } from 'vitest'
import { chartSpan, emptyChartText, noSensorsText, rangeWords, xScale, yAxisLabel } from './chart-view'

const now = new Date(2026, 11, 2, 3, 0, 0).getTime()
const at = (h: number, m: number) => new Date(2026, 11, 2, h, m, 0).getTime()

describe('chart x-axis', () => {
  it('is the chosen range ending now: 5 min, 1 h and 24 h differ whatever the data', () => {
    const spans = [5 * 60_000, 3_600_000, 86_400_000].map((w) => xScale({ windowMs: w }, now))
    expect(spans.map(([a, b]) => b - a)).toEqual([300, 3600, 86_400])
    for (const [, end] of spans) expect(end).toBe(now / 1000)
  })
  it('a custom span is as chosen; a reversed or missing one falls back to an hour', () => {
    expect(chartSpan({ from: at(1, 0), to: at(2, 0) }, now)).toEqual({ from: at(1, 0), to: at(2, 0) })
    expect(chartSpan({ from: at(2, 0), to: at(1, 0) }, now)).toEqual({ from: at(0, 0), to: at(1, 0) })
    expect(chartSpan({}, now)).toEqual({ from: now - 3_600_000, to: now })
  })
})

describe('chart y-axis', () => {
  it('names the unit the device sent, and guesses none', () => {
    expect(yAxisLabel('°C')).toBe('°C')
    expect(yAxisLabel('')).toBeUndefined()
  })
})

describe('empty chart', () => {
  it('says when the last reading was when there is none in the range', () => {
    expect(emptyChartText(0, { windowMs: 5 * 60_000 }, at(1, 12), now)).toBe(
      'No reading in the last 5 min · last reading 01:12',
    )
    expect(emptyChartText(0, { windowMs: 86_400_000 }, at(1, 12), now)).toMatch(/the last 24 h/)
    expect(rangeWords({ from: at(1, 0), to: at(2, 0) }, now)).toBe('01:00 – 02:00')
  })
  it('says "not yet" only for a sensor that never sent one', () => {
    expect(emptyChartText(0, { windowMs: 300_000 }, null, now)).toBe(
      'This sensor has not sent a reading yet.',
    )
    expect(emptyChartText(3, { windowMs: 300_000 }, null, now)).toBeNull()
  })
  it('a device whose readings could not be loaded is unknown, not "no reading yet"', () => {
    expect(noSensorsText(false, 'station unreachable')).toMatch(/could not be loaded.*unknown/)
    expect(noSensorsText(false, null)).toBe('Loading readings…')
    expect(noSensorsText(true, null)).toBe('This device has not sent a reading yet.')
  })
})
