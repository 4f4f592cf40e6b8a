import { describe, expect, it } from 'vitest'
import { sessionWarning, timeLeft } from './session-warning'

describe('the warning before a sign-in ends', () => {
  const ends = { expiresAt: 10_000, maxExpiresAt: 50_000, warnMs: 3000 }

  it('is quiet until the warning time, then offers to stay signed in', () => {
    expect(sessionWarning(null, 0)).toEqual({ kind: 'none' })
    expect(sessionWarning(ends, 6999)).toEqual({ kind: 'none' })
    expect(sessionWarning(ends, 7000)).toEqual({ kind: 'idle', endsAt: 10_000, leftMs: 3000 })
    expect(sessionWarning(ends, 12_000)).toMatchObject({ kind: 'idle', leftMs: 0 })
  })

  it('says the longest sign-in ends it when no renewal can go further', () => {
    expect(sessionWarning({ ...ends, maxExpiresAt: 10_000 }, 8000)).toEqual({
      kind: 'longest',
      endsAt: 10_000,
      leftMs: 2000,
    })
  })

  it('says the time left plainly', () => {
    expect(timeLeft(400)).toBe('1 s')
    expect(timeLeft(59_000)).toBe('59 s')
    expect(timeLeft(120_000)).toBe('2 min')
    expect(timeLeft(125_000)).toBe('2 min 5 s')
  })
})
