import { describe, expect, it } from 'vitest'
import { BOUNDS_MS, LatencyHistogram, PROMETHEUS_BOUNDS_MS } from './histogram'
import { MAX_ROUTES, RouteMetrics } from './route-metrics'

describe('LatencyHistogram', () => {
  it('estimates percentiles within a bucket width', () => {
    const h = new LatencyHistogram()
    for (let i = 1; i <= 1000; i++) h.record(i / 10) // 0.1 .. 100 ms, uniform
    const s = h.summary()
    expect(s.count).toBe(1000)
    expect(s.maxMs).toBe(100)
    expect(s.meanMs).toBeCloseTo(50.05, 5)
    expect(s.p50Ms).toBeGreaterThan(50 * 0.8)
    expect(s.p50Ms).toBeLessThan(50 * 1.25)
    expect(s.p99Ms).toBeGreaterThan(99 * 0.8)
    expect(s.p99Ms).toBeLessThanOrEqual(100)
    expect(s.p50Ms).toBeLessThanOrEqual(s.p95Ms)
    expect(s.p95Ms).toBeLessThanOrEqual(s.p99Ms)
  })

  it('exports exact cumulative buckets at the Prometheus bounds', () => {
    expect(PROMETHEUS_BOUNDS_MS).toEqual([
      0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
    ])
    for (const b of PROMETHEUS_BOUNDS_MS) expect(BOUNDS_MS).toContain(b)
    const h = new LatencyHistogram()
    for (const v of [0.05, 0.1, 0.3, 1, 7, 2_000_000]) h.record(v)
    const c = Object.fromEntries(h.cumulative().map((b) => [b.leMs, b.count]))
    expect(c[0.1]).toBe(2) // le is inclusive
    expect(c[0.5]).toBe(3)
    expect(c[1]).toBe(4)
    expect(c[10]).toBe(5)
    expect(c[10000]).toBe(5)
    expect(c[Infinity]).toBe(6)
    expect(h.percentile(1)).toBe(2_000_000)
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
