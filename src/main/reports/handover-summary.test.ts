import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/schemas/alarms'
import { duration, summarize, timeFormatter } from './handover-summary'

const alarm = (over: Partial<Alarm>): Alarm =>
  ({ severity: 'warning', state: 'cleared', ackedAt: null, openedAt: 0, clearReason: null, ...over }) as Alarm

describe('the handover summary', () => {
  it('counts by severity and outcome, with the median and longest time to acknowledge', () => {
    const s = summarize([
      alarm({ severity: 'critical', ackedAt: 60_000, clearReason: 'resolved' }),
      alarm({ severity: 'critical', openedAt: 1000, ackedAt: 31_000, clearReason: 'condition' }),
      alarm({ severity: 'info', openedAt: 0, ackedAt: 600_000 }),
      alarm({ severity: 'warning', state: 'active' }),
    ])
    expect(s).toEqual({
      total: 4,
      bySeverity: { info: 1, warning: 1, critical: 2 },
      acknowledged: 3,
      resolved: 1,
      stillOpen: 1,
      ackMedianMs: 60_000,
      ackMaxMs: 600_000,
    })
    expect(summarize([alarm({ ackedAt: 10_000 }), alarm({ ackedAt: 20_000 })]).ackMedianMs).toBe(15_000)
    expect(summarize([]).ackMedianMs).toBeNull()
  })

  it('words durations and shows times in the zone asked for', () => {
    expect(duration(12_400)).toBe('12 s')
    expect(duration(250_000)).toBe('4 min 10 s')
    expect(duration(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 05 min')
    // 2026-07-01 12:00 UTC is 14:00 in Berlin (summer time) and 21:00 in Tokyo.
    const t = Date.UTC(2026, 6, 1, 12, 0, 0)
    expect(timeFormatter('Europe/Berlin')(t)).toBe('1 Jul 2026, 14:00:00')
    expect(timeFormatter('Asia/Tokyo')(t)).toBe('1 Jul 2026, 21:00:00')
  })
})
