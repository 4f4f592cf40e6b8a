import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from './histogram'
import { MAX_ROUTES, RouteMetrics } from './route-metrics'

describe('LatencyHistogram', () => {
  it('estimates percentiles within its 2% bucket precision', () => {
    const h = new LatencyHistogram()
    for (let i = 1; i <= 1000; i++) h.record(i / 10) // 0.1 .. 100 ms, uniform
    const s = h.summary()
    expect(s.count).toBe(1000)
    expect(s.maxMs).toBe(100)
    expect(s.meanMs).toBeCloseTo(50.05, 5)
    expect(s.p50Ms).toBeGreaterThanOrEqual(50 * 0.98)
    expect(s.p50Ms).toBeLessThanOrEqual(50 * 1.02)
    expect(s.p95Ms).toBeGreaterThanOrEqual(95 * 0.98)
    expect(s.p95Ms).toBeLessThanOrEqual(95 * 1.02)
    expect(s.p99Ms).toBeGreaterThanOrEqual(99 * 0.98)
    expect(s.p99Ms).toBeLessThanOrEqual(100)
    expect(s.p50Ms).toBeLessThanOrEqual(s.p95Ms)
    expect(s.p95Ms).toBeLessThanOrEqual(s.p99Ms)
  })

  it('keeps tiny, zero and huge values: the maximum is exact, quantiles never pass it', () => {
    const h = new LatencyHistogram()
    for (const v of [0, 0.001, 0.05, 1, 7, 2_000_000]) h.record(v)
    expect(h.count).toBe(6)
    expect(h.maxMs).toBe(2_000_000)
    expect(h.quantile(1)).toBe(2_000_000)
    expect(h.quantile(0)).toBe(0)
    expect(h.quantile(0.5)).toBeLessThanOrEqual(0.05 * 1.02)
    const one = new LatencyHistogram()
    one.record(3)
    expect(one.quantile(0.99)).toBeLessThanOrEqual(3)
    expect(one.quantile(0.99)).toBeGreaterThan(3 / 1.02)
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
    const copy = new LatencyHistogram(JSON.parse(JSON.stringify(a.counts)) as number[])
    expect(copy.count).toBe(100)
    expect(copy.quantile(0.5)).toBeCloseTo(a.quantile(0.5), 5)
    expect(copy.maxMs).toBeGreaterThanOrEqual(200)
    expect(copy.maxMs).toBeLessThanOrEqual(200 * 1.02)
    a.reset()
    expect(a.summary()).toMatchObject({ count: 0, p99Ms: 0, maxMs: 0 })
  })

  it('is empty-safe', () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      meanMs: 0,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      maxMs: 0,
    })
  })
})

describe('RouteMetrics', () => {
  it('keeps one entry per method and route, bounded', () => {
    const r = new RouteMetrics()
    r.record('GET', '/api/x/:id', 200, 1)
    r.record('GET', '/api/x/:id', 404, 2)
    r.record('GET', undefined, 404, 1)
    const snap = r.snapshot()
    expect(snap[0]).toMatchObject({
      method: 'GET',
      route: '/api/x/:id',
      count: 2,
      byClass: { '2xx': 1, '4xx': 1 },
    })
    expect(snap.find((s) => s.route === '(unmatched)')?.count).toBe(1)
    for (let i = 0; i < MAX_ROUTES * 2; i++) r.record('GET', `/r/${i}`, 200, 1)
    expect(r.snapshot().length).toBeLessThanOrEqual(MAX_ROUTES + 1)
    expect(r.requests).toBe(3 + MAX_ROUTES * 2)
  })
})
