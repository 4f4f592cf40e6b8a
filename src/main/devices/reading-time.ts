/**
 * Plausible device times. A reading's `ts` is the device's clock, and the newest `ts` is what guards see
 * live and as "latest": one reading an hour ahead would hide every later one, one at the maximum for good.
 * So a `ts` outside a window around the station's clock (STATION_READING_MAX_AGE_MS behind,
 * STATION_READING_MAX_AHEAD_MS ahead) is refused, naming the reading and, where it can tell, the likely
 * cause (seconds instead of milliseconds, a clock that was never set). Refused rather than stored with the
 * receive time: the station never records a time the device did not say; a device without a trustworthy
 * clock leaves `ts` out and gets the receive time.
 */
import { StationError } from '../server/errors'

export interface ReadingTimeWindow {
  maxAgeMs: number
  maxAheadMs: number
}

const iso = (ms: number) =>
  Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms)

/** Before 2001-09-09 in milliseconds: a clock that was never set, or a time in seconds. */
const EPOCH_MS_FLOOR = 1_000_000_000_000

function cause(ts: number, now: number, w: ReadingTimeWindow): string {
  const asSeconds = ts * 1000
  if (asSeconds >= now - w.maxAgeMs && asSeconds <= now + w.maxAheadMs) {
    return 'it looks like seconds: send milliseconds since 1970'
  }
  if (ts < EPOCH_MS_FLOOR)
    return "the device's clock looks unset: set it (NTP, or the heartbeat's serverTime) or leave ts out"
  return ts > now
    ? "the device's clock is ahead: set it, or leave ts out"
    : "the device's clock is behind, or the reading is too old: set the clock, or leave ts out"
}

/** The refusal for the first reading whose `ts` is outside the window, or undefined when all are plausible. */
export function implausibleTime(
  readings: readonly { ts: number }[],
  now: number,
  w: ReadingTimeWindow,
): StationError | undefined {
  const oldest = now - w.maxAgeMs
  const newest = now + w.maxAheadMs
  for (let i = 0; i < readings.length; i++) {
    const ts = readings[i]!.ts
    if (ts >= oldest && ts <= newest) continue
    return new StationError(
      400,
      'VALIDATION',
      `Reading ${i}: ts ${ts} (${iso(ts)}) is outside the accepted window around the station's clock ` +
        `(${iso(oldest)} to ${iso(newest)}); ${cause(ts, now, w)}. Nothing was stored`,
    )
  }
  return undefined
}
