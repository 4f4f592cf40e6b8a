import { describe, expect, it } from 'vitest'
import { isArmedAt, localTime } from './schedule'

const nights = { timeZone: 'Europe/Berlin', windows: [{ days: [6], from: '22:00', to: '06:00' }] }

describe('armed schedule', () => {
  it('reads the local weekday and time of the zone', () => {
    // 2026-01-03 is a Saturday; 22:30 UTC is 23:30 in Berlin (CET, +1).
    expect(localTime(Date.UTC(2026, 0, 3, 22, 30), 'Europe/Berlin')).toEqual({ day: 6, minute: 23 * 60 + 30 })
  })

  it('runs a window past midnight into the next day, in winter and across the spring change', () => {
    expect(isArmedAt(nights, Date.UTC(2026, 0, 3, 22, 0), 'UTC')).toBe(true) // Sat 23:00 CET
    expect(isArmedAt(nights, Date.UTC(2026, 0, 3, 20, 0), 'UTC')).toBe(false) // Sat 21:00 CET
    // The night of 28-29 March 2026 the clocks go from 02:00 to 03:00: 01:30 UTC is 03:30 CEST.
    expect(isArmedAt(nights, Date.UTC(2026, 2, 29, 1, 30), 'UTC')).toBe(true)
    // 04:30 UTC is 06:30 CEST (it would be 05:30 without daylight saving): disarmed.
    expect(isArmedAt(nights, Date.UTC(2026, 2, 29, 4, 30), 'UTC')).toBe(false)
    // Sunday night is not in the schedule.
    expect(isArmedAt(nights, Date.UTC(2026, 2, 29, 21, 0), 'UTC')).toBe(false)
  })

  it('uses the default zone when the schedule names none', () => {
    const s = { windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }] }
    // Monday 2026-01-05 07:30 UTC: 07:30 in London, 08:30 in Berlin.
    expect(isArmedAt(s, Date.UTC(2026, 0, 5, 7, 30), 'Europe/London')).toBe(false)
    expect(isArmedAt(s, Date.UTC(2026, 0, 5, 7, 30), 'Europe/Berlin')).toBe(true)
  })
})
