/**
 * Keeping a live video at its live edge, decided as a pure function of the playhead and what is buffered:
 * far behind (a slow start, a stall, a hidden moment) → jump to just before the buffered end; a little
 * behind → play slightly faster until near the edge (hysteresis: the faster rate holds until then); at the
 * end of a buffered range with more data after a gap (frames skipped to a keyframe, a camera hiccup) →
 * jump over the gap; outside everything (the stream's timestamps went back) → jump to the newest data.
 * Also what to remove behind the playhead.
 */

export interface BufferedRange {
  start: number
  end: number
}

export interface LiveEdgeInput {
  currentTime: number
  /** Buffered ranges in time order (video.buffered). */
  ranges: readonly BufferedRange[]
  playbackRate: number
  /** How long the playhead has not moved although it should play (0 when it moves). */
  stalledS?: number
}

export interface LiveEdgeOptions {
  /** More than this behind the buffered end: jump. */
  jumpBehindS: number
  /** Where a jump lands, before the buffered end. */
  marginS: number
  /** More than this behind: play faster. */
  catchUpS: number
  /** At most this behind: back to normal speed. */
  nearS: number
  /** Rates for a little behind and for further behind (above `catchUpS * 2`). */
  slowCatchUpRate: number
  fastCatchUpRate: number
  /** At most this before the end of a range with more data after it: jump over the gap. */
  gapS: number
  /** Stalled this long with data ahead: jump to the edge. */
  stallS: number
}

export const LIVE_EDGE_DEFAULTS: LiveEdgeOptions = {
  jumpBehindS: 1,
  marginS: 0.1,
  catchUpS: 0.2,
  nearS: 0.08,
  slowCatchUpRate: 1.05,
  fastCatchUpRate: 1.1,
  gapS: 0.1,
  stallS: 0.5,
}

export type LiveEdgeAction =
  | { type: 'none' }
  | { type: 'seek'; to: number; why: 'behind' | 'gap' | 'outside' | 'stall' }
  | { type: 'rate'; rate: number }

const NONE: LiveEdgeAction = { type: 'none' }
/** Slack for "inside a range" (frame timestamps are not exact in seconds). */
const EPS = 0.02

export function liveEdgeAction(
  input: LiveEdgeInput,
  o: LiveEdgeOptions = LIVE_EDGE_DEFAULTS,
): LiveEdgeAction {
  const { currentTime: t, ranges, playbackRate } = input
  const last = ranges[ranges.length - 1]
  if (!last) return playbackRate !== 1 ? { type: 'rate', rate: 1 } : NONE
  const edge = Math.max(last.start, last.end - o.marginS)
  const behind = last.end - t
  if (behind < -EPS) return { type: 'seek', to: edge, why: 'outside' }
  if (behind > o.jumpBehindS) return { type: 'seek', to: edge, why: 'behind' }

  const i = ranges.findIndex((r) => t >= r.start - EPS && t <= r.end + EPS)
  if (i < 0) {
    // In a gap (or before the first range): on to the next data.
    const next = ranges.find((r) => r.start > t)
    return { type: 'seek', to: next ? next.start : edge, why: 'gap' }
  }
  const next = ranges[i + 1]
  if (next && ranges[i]!.end - t <= o.gapS) return { type: 'seek', to: next.start, why: 'gap' }
  if ((input.stalledS ?? 0) >= o.stallS && behind > o.marginS + EPS)
    return { type: 'seek', to: edge, why: 'stall' }

  let rate = playbackRate
  if (behind > o.catchUpS * 2) rate = o.fastCatchUpRate
  else if (behind > o.catchUpS) rate = Math.max(o.slowCatchUpRate, Math.min(playbackRate, o.fastCatchUpRate))
  else if (behind <= o.nearS) rate = 1
  return rate !== playbackRate ? { type: 'rate', rate } : NONE
}

/**
 * What to remove behind the playhead: everything older than `keepS` before it, once there is `slackS` more
 * than that (so removes come every few seconds, not after every frame). Null when nothing is due.
 */
export function trimRange(
  currentTime: number,
  ranges: readonly BufferedRange[],
  keepS: number,
  slackS: number,
): BufferedRange | null {
  const first = ranges[0]
  const until = currentTime - keepS
  if (!first || until <= 0 || first.start > until - slackS) return null
  return { start: 0, end: until }
}

/** video.buffered as plain ranges. */
export function rangesOf(t: TimeRanges): BufferedRange[] {
  const out: BufferedRange[] = []
  for (let i = 0; i < t.length; i++) out.push({ start: t.start(i), end: t.end(i) })
  return out
}
