import { describe, expect, it } from 'vitest'
import {
  BASE_DELAY_MS,
  FORGET_AFTER_MS,
  FREE_FAILURES,
  MAX_QUEUE_MS,
  SignInBackoff,
  type Admission,
} from './sign-in-backoff'

const wait = (a: Admission) => ('waitMs' in a ? a.waitMs : -1)

describe('SignInBackoff', () => {
  it('costs nothing for the first failures, then gives attempts slots a growing delay apart', () => {
    let now = 1_000_000
    const b = new SignInBackoff(() => now)
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(wait(b.admit('admin', '10.0.0.9'))).toBe(0)
      b.failed('admin', '10.0.0.9')
    }
    // Three attempts arriving together run one after the other.
    expect(wait(b.admit('admin', '10.0.0.1'))).toBe(0)
    expect(wait(b.admit('admin', '10.0.0.2'))).toBe(BASE_DELAY_MS)
    expect(wait(b.admit('admin', '10.0.0.3'))).toBe(2 * BASE_DELAY_MS)
    // Each failure doubles the spacing.
    b.failed('admin', '10.0.0.1')
    now += 10_000
    expect(wait(b.admit('admin', '10.0.0.4'))).toBe(0)
    expect(wait(b.admit('admin', '10.0.0.4'))).toBe(2 * BASE_DELAY_MS)
  })

  it('refuses an address that has been guessing once its turn is far away, never one that has not', () => {
    const now = 5_000_000
    const b = new SignInBackoff(() => now)
    for (let i = 0; i < FREE_FAILURES + 8; i++) b.failed('admin', '10.9.9.9')
    let last: Admission = { waitMs: 0 }
    while ('waitMs' in last && last.waitMs <= MAX_QUEUE_MS) last = b.admit('admin', '10.9.9.9')
    expect('refusedForMs' in last).toBe(true)
    // The owner from elsewhere still gets a slot.
    expect(wait(b.admit('admin', '192.168.1.20'))).toBeGreaterThan(MAX_QUEUE_MS)
  })

  it('forgets failures after a success, and after a quiet while', () => {
    let now = 0
    const b = new SignInBackoff(() => now)
    for (let i = 0; i < FREE_FAILURES + 2; i++) b.failed('guard', 'a')
    b.succeeded('guard')
    expect(b.failures('guard')).toBe(0)
    for (let i = 0; i < FREE_FAILURES + 2; i++) b.failed('guard', 'a')
    now += FORGET_AFTER_MS + 1
    expect(b.failures('guard')).toBe(0)
    expect(wait(b.admit('guard', 'a'))).toBe(0)
  })
})
