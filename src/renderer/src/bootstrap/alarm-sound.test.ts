/** The desk's alarm sound: the loudest waiting alarm's pattern repeats until every desk has acknowledged. */
import { describe, expect, it } from 'vitest'
import type { Alarm } from '../../../shared/contract'
import { alarm } from '../../../shared/test-support/alarm-fixture'
import { createAlarmSound, REPEAT_MS } from './alarm-sound'

function setup() {
  const played: Alarm['severity'][] = []
  const timers = new Map<number, { fn: () => void; ms: number }>()
  let next = 1
  const sound = createAlarmSound({
    play: (s) => played.push(s),
    setInterval: (fn, ms) => {
      timers.set(next, { fn, ms })
      return next++
    },
    clearInterval: (h) => timers.delete(h as number),
  })
  const tick = () => [...timers.values()].forEach((t) => t.fn())
  return { sound, played, timers, tick }
}

describe('alarm sound', () => {
  it('repeats the loudest waiting alarm: critical every 3 s, warning every 10 s', () => {
    const { sound, played, timers, tick } = setup()
    sound.update([alarm(1, { severity: 'warning' })], false)
    expect(played).toEqual(['warning'])
    expect([...timers.values()].map((t) => t.ms)).toEqual([REPEAT_MS.warning])
    tick()
    expect(played).toEqual(['warning', 'warning'])
    sound.update([alarm(1), alarm(2, { severity: 'critical' })], false)
    expect(played.at(-1)).toBe('critical')
    expect([...timers.values()].map((t) => t.ms)).toEqual([3000])
  })

  it('stops when the last one is acknowledged (on any desk) or the desk mutes; info sounds once', () => {
    const { sound, played, timers } = setup()
    sound.update([alarm(1, { severity: 'critical' })], false)
    sound.update([alarm(1, { severity: 'critical', state: 'acknowledged' })], false)
    expect(timers.size).toBe(0)
    sound.update([alarm(2)], true)
    expect(timers.size).toBe(0)
    expect(played).toEqual(['critical'])
    sound.update([alarm(2)], false) // unmuted while it still waits: it sounds again
    expect(played).toEqual(['critical', 'warning'])
    sound.update([alarm(3, { severity: 'info' })], false)
    expect(played.at(-1)).toBe('info')
    expect(timers.size).toBe(0)
  })

  it('a new alarm sounds at once even at the same severity', () => {
    const { sound, played } = setup()
    sound.update([alarm(1)], false)
    sound.update([alarm(1)], false)
    expect(played).toHaveLength(1)
    sound.update([alarm(1), alarm(2)], false)
    expect(played).toHaveLength(2)
  })
})
