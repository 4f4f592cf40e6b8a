/**
 * Rate-of-change rules against a real station: a noisy temperature series through the ingest route, a
 * rise that fires once and clears once (hysteresis: half the amount), a fall rule that stays quiet, and
 * the bounded window itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { alarmTestKit, bearer } from './alarm-test-kit'
import { BUCKETS, RateWindow } from './rate-window'

describe('rate-of-change rules', () => {
  let st: TestStation
  let admin: string
  const as = bearer
  const { ingest, createRule, alarmsOf } = alarmTestKit(
    () => st,
    () => admin,
  )

  beforeAll(async () => {
    st = await createTestStation()
    admin = await st.login()
  })
  afterAll(async () => {
    await st.close()
  })

  it('a fast rise on a noisy series fires once and clears once; slow drift and noise do not', async () => {
    const trigger = { kind: 'rate', deviceId: 'store', sensor: 'temp', amount: 3, perSeconds: 10 } as const
    const rise = await createRule({
      name: 'Store heating fast',
      severity: 'warning',
      trigger: { ...trigger, direction: 'rise', holdSeconds: 1 },
    })
    const fall = await createRule({
      name: 'Store cooling fast',
      severity: 'warning',
      trigger: { ...trigger, direction: 'fall' },
    })
    const either = await createRule({
      name: 'Store changing fast',
      severity: 'info',
      trigger: { ...trigger, direction: 'either' },
    })
    // One reading a second: 40 s of noise (±0.4) over a slow drift (+1 per 10 s), a rise of 6 in 6 s,
    // then 40 s of noise at the new level. Noise is deterministic, so the test always sees one series.
    const noise = (i: number) => ((i * 7919) % 9) / 10 - 0.4
    const values: number[] = []
    for (let i = 0; i < 40; i++) values.push(20 + i / 10 + noise(i))
    for (let i = 1; i <= 6; i++) values.push(24 + i)
    for (let i = 0; i < 40; i++) values.push(30 + noise(i + 100))
    const t0 = Date.now() - 200_000
    const readings = values.map((value, i) => ({
      deviceId: 'store',
      sensor: 'temp',
      value,
      ts: t0 + i * 1000,
    }))
    // In several commits: the window lives across them.
    for (let i = 0; i < readings.length; i += 15) {
      expect((await ingest(readings.slice(i, i + 15))).statusCode).toBe(200)
    }
    const raised = alarmsOf(rise.id)
    expect(raised).toHaveLength(1)
    expect(raised[0]!.repeatCount).toBe(0)
    expect(raised[0]!.message).toMatch(/temp rose by [\d.]+ within 10 s/)
    expect(raised[0]!.conditionEndedAt).not.toBeNull()
    expect(st.app.alarms.rules.get(rise.id)!.state.phase).toBe('idle')
    expect(alarmsOf(fall.id)).toHaveLength(0)
    expect(alarmsOf(either.id)).toHaveLength(1)
  })

  it('refuses a rate rule without a positive amount', async () => {
    const res = await st.app.inject({
      method: 'POST',
      url: '/api/rules',
      headers: as(admin),
      payload: {
        name: 'x',
        severity: 'info',
        trigger: { kind: 'rate', deviceId: 'd', sensor: 's', direction: 'rise', amount: 0, perSeconds: 10 },
      },
    })
    expect(res.statusCode).toBe(400)
  })

  it('the window has a fixed size and forgets what is older than perSeconds', () => {
    const w = new RateWindow({ direction: 'either', perSeconds: 10 })
    // 10,000 readings in 10 s: memory is BUCKETS slots whatever the rate.
    let change = 0
    for (let i = 0; i < 10_000; i++) change = w.add(i, i % 2 === 0 ? 0 : 1)
    expect(change).toBe(1)
    expect(BUCKETS).toBe(16)
    // 30 s later, steady at 5: the old values fell out of the window.
    expect(w.add(40_000, 5)).toBe(0)
    expect(w.add(41_000, 7)).toBe(2)
    expect(w.add(42_000, 4)).toBe(3)
  })
})
