/**
 * Armed hours: is an instant inside a rule's weekly windows, in the site's IANA time zone? The local
 * weekday and time come from `Intl.DateTimeFormat`, so daylight saving is the zone database's business:
 * 22:00–06:00 stays 22:00–06:00 local on the nights the clocks change.
 */
import type { ArmedSchedule } from '../../shared/schemas/alarms'

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Throws RangeError for a zone Intl does not know. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

/** The local weekday (0 Sunday) and minute of the day of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): { day: number; minute: number } {
  let day = 0
  let hour = 0
  let minute = 0
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type === 'weekday') day = WEEKDAYS[p.value] ?? 0
    else if (p.type === 'hour') hour = Number(p.value) % 24
    else if (p.type === 'minute') minute = Number(p.value)
  }
  return { day, minute: hour * 60 + minute }
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

export function isArmedAt(schedule: ArmedSchedule, at: number, defaultZone: string): boolean {
  const { day, minute } = localTime(at, schedule.timeZone ?? defaultZone)
  const yesterday = (day + 6) % 7
  return schedule.windows.some((w) => {
    const from = minutes(w.from)
    const to = minutes(w.to)
    if (from < to) return w.days.includes(day) && minute >= from && minute < to
    // Past midnight: the evening part on its own day, the morning part on the next.
    return (w.days.includes(day) && minute >= from) || (w.days.includes(yesterday) && minute < to)
  })
}
