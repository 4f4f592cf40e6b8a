/**
 * What a sensor chart shows, as pure functions: the x-axis is the chosen range ending now (so 5 min, 1 h
 * and 24 h look different whatever the data), the y-axis names the sensor's unit, and an empty chart says
 * why in plain words ("No reading in the last 5 min · last reading 01:12", not "has not sent a reading").
 */
import { shortTime } from '../../util/honest-state'

export interface ChartRange {
  /** Rolling window (ms) ending now, or a fixed span. */
  windowMs?: number
  from?: number
  to?: number
}

const HOUR = 3_600_000

/** The span the chart covers (epoch ms): a rolling window ends now; a custom span is as chosen. */
export function chartSpan(range: ChartRange, now: number): { from: number; to: number } {
  if (range.windowMs) return { from: now - range.windowMs, to: now }
  const to = range.to ?? now
  const from = range.from ?? to - HOUR
  return from < to ? { from, to } : { from: to - HOUR, to }
}

/** The x scale for uPlot (seconds since the epoch): exactly the span, never fitted to the data. */
export function xScale(range: ChartRange, now: number): [number, number] {
  const { from, to } = chartSpan(range, now)
  return [from / 1000, to / 1000]
}

/** The y-axis title: the unit the device names for the sensor, or none (nothing is guessed). */
export function yAxisLabel(unit: string): string | undefined {
  return unit.trim() ? unit.trim() : undefined
}

/** How the range is said: "the last 5 min", or "02:00 – 03:00". */
export function rangeWords(range: ChartRange, now: number): string {
  if (range.windowMs) {
    const m = Math.round(range.windowMs / 60_000)
    return m < 60 ? `the last ${m} min` : `the last ${Math.round(m / 60)} h`
  }
  const { from, to } = chartSpan(range, now)
  return `${shortTime(from, now)} – ${shortTime(to, now)}`
}

/**
 * The chart's message when it has no point to draw (null when it has some): whether the sensor has ever
 * sent a reading is known from its latest value (`latestTs`), never from the chart's range.
 */
export function emptyChartText(
  points: number,
  range: ChartRange,
  latestTs: number | null,
  now: number,
): string | null {
  if (points > 0) return null
  if (latestTs === null) return 'This sensor has not sent a reading yet.'
  return `No reading in ${rangeWords(range, now)} · last reading ${shortTime(latestTs, now)}`
}

/**
 * What the device panel says instead of its sensors when it has none to show: still loading, could not
 * load (the station unreachable: nothing is known), or truly none yet.
 */
export function noSensorsText(loaded: boolean, error: string | null): string {
  if (loaded) return 'This device has not sent a reading yet.'
  if (error) return `Readings could not be loaded (${error}). They are unknown until the station answers.`
  return 'Loading readings…'
}
