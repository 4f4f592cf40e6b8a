import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from './latency'

describe('LatencyHistogram', () => {
  it('reports quantiles within its 2% bucket precision', () => {
    const h = new LatencyHistogram()
    for (let i = 1; i <= 1000; i++) h.record(i / 10) // 0.1 .. 100 ms
    const s = h.summary()
    expect(s.count).toBe(1000)
    expect(s.p50).toBeGreaterThanOrEqual(50)
    expect(s.p50).toBeLessThanOrEqual(51)
    expect(s.p99).toBeGreaterThanOrEqual(99)
    expect(s.p99).toBeLessThanOrEqual(100)
    expect(s.max).toBe(100)
    expect(s.mean).toBeCloseTo(50.05, 5)
  })

  it('merges histograms and rebuilds one from its counts', () => {
    const a = new LatencyHistogram()
    const b = new LatencyHistogram()
    for (let i = 0; i < 99; i++) a.record(1)
    b.record(200)
    a.merge(b)
    expect(a.count).toBe(100)
    expect(a.quantile(0.99)).toBeLessThanOrEqual(1.02)
    expect(a.quantile(1)).toBe(200)
    const copy = new LatencyHistogram(a.counts)
    expect(copy.count).toBe(100)
    expect(copy.quantile(0.5)).toBeCloseTo(a.quantile(0.5), 5)
    a.reset()
    expect(a.summary()).toMatchObject({ count: 0, p99: 0, max: 0 })
  })
})
