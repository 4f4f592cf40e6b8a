/**
 * The timeline's arithmetic (pure): a visible window [from, to) of wall time (epoch ms) drawn over a width
 * in pixels; zooming around a point, panning, the ticks worth labelling at this zoom, and which recorded
 * range a time falls in (or the next one after it).
 */

export interface Window {
  from: number
  to: number
}

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000
/** Narrowest window (zoomed in to about a minute) and widest (a day at a glance). */
export const MIN_SPAN = MINUTE
export const MAX_SPAN = DAY

export const xOf = (w: Window, width: number, t: number): number => ((t - w.from) / (w.to - w.from)) * width

export const timeAt = (w: Window, width: number, x: number): number =>
  Math.round(w.from + (Math.min(Math.max(x, 0), width) / width) * (w.to - w.from))

/** Zooms by `factor` (< 1 in, > 1 out) keeping `at` where it is on screen; the span stays in bounds. */
export function zoom(w: Window, factor: number, at: number): Window {
  const span = w.to - w.from
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, Math.round(span * factor)))
  const ratio = span > 0 ? (at - w.from) / span : 0.5
  const from = Math.round(at - ratio * next)
  return { from, to: from + next }
}

/** A window of `span` ms centred on `at`. */
export function around(at: number, span: number): Window {
  const s = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span))
  const from = Math.round(at - s / 2)
  return { from, to: from + s }
}

export const pan = (w: Window, byMs: number): Window => ({ from: w.from + byMs, to: w.to + byMs })

/** The local day [00:00, 24:00) holding `t` (DST days are 23 or 25 hours). */
export function dayOf(t: number): Window {
  const d = new Date(t)
  const from = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
  const to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime()
  return { from, to }
}

const STEPS = [
  1000,
  5000,
  10_000,
  30_000,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
]

/** Tick times at a step that puts one every `minPx` pixels or more, aligned to local time. */
export function ticks(w: Window, width: number, minPx = 70): { step: number; times: number[] } {
  const span = w.to - w.from
  const step = STEPS.find((s) => (s / span) * width >= minPx) ?? 6 * HOUR
  // Align to local wall time (hours and minutes as the clock shows them).
  const offset = -new Date(w.from).getTimezoneOffset() * MINUTE
  const first = Math.ceil((w.from + offset) / step) * step - offset
  const times: number[] = []
  for (let t = first; t < w.to && times.length < 200; t += step) times.push(t)
  return { step, times }
}

export function tickLabel(t: number, step: number): string {
  const d = new Date(t)
  const p = (n: number) => String(n).padStart(2, '0')
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`
  return step < MINUTE ? `${hm}:${p(d.getSeconds())}` : hm
}

export interface Span {
  start: number
  end: number
}

/** The range holding `t`, else the first one after it; undefined when none is left. */
export function rangeFrom(ranges: readonly Span[], t: number): Span | undefined {
  return ranges.find((r) => r.end > t)
}

/** Clips ranges to a window and drops those under `minMs` wide after clipping (not worth a pixel). */
export function visibleRanges(ranges: readonly Span[], w: Window, minMs = 0): Span[] {
  const out: Span[] = []
  for (const r of ranges) {
    const start = Math.max(r.start, w.from)
    const end = Math.min(r.end, w.to)
    if (end - start >= minMs && end > start) out.push({ start, end })
  }
  return out
}
