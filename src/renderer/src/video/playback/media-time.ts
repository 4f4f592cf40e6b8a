/**
 * Wall time and media time (pure). A player puts every segment on one media timeline whose zero is the
 * wall time `base`: media time = (wall - base) / 1000 s. A segment's fragments carry their own decode times
 * (tfdt), which continue across the segments of one ffmpeg run and restart with the next, so each segment
 * is appended with its own SourceBuffer.timestampOffset: the one that moves its first decode time to where
 * its start (the index's wall time) belongs.
 */

/** SourceBuffer.timestampOffset (s) for a segment starting at `startMs` whose first tfdt is `dts` ticks. */
export function timestampOffset(startMs: number, baseMs: number, dts: number, timescale: number): number {
  return (startMs - baseMs) / 1000 - dts / timescale
}

export const mediaTime = (baseMs: number, wallMs: number): number => (wallMs - baseMs) / 1000

export const wallTime = (baseMs: number, mediaS: number): number => Math.round(baseMs + mediaS * 1000)

export interface SegmentRef {
  id: number
  start: number
  end: number
}

/**
 * Which segments to have appended with the playhead at `at` (wall ms): the one playing and those starting
 * within `aheadMs` after it. Known segments only; oldest first.
 */
export function wanted<T extends SegmentRef>(segments: readonly T[], at: number, aheadMs: number): T[] {
  return segments.filter((s) => s.end > at && s.start < at + aheadMs)
}

/** Media-time ranges (s) to remove from the buffer: whatever lies more than `behindS` before `currentS`. */
export function trimRange(
  bufferedStartS: number | null,
  currentS: number,
  behindS: number,
): [number, number] | null {
  if (bufferedStartS === null) return null
  const cut = currentS - behindS
  return cut > bufferedStartS + 1 ? [0, cut] : null
}

/**
 * Where a player should go when its playhead sits in a gap of the recording (no buffered data at
 * `currentS`): the start of the next buffered range within `maxJumpS`, or null.
 */
export function gapJump(
  buffered: readonly { start: number; end: number }[],
  currentS: number,
  maxJumpS = Infinity,
): number | null {
  if (buffered.some((r) => currentS >= r.start && currentS < r.end - 0.05)) return null
  const next = buffered.find((r) => r.start > currentS)
  return next && next.start - currentS <= maxJumpS ? next.start : null
}
