import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../server/test-helper'
import { connectLive } from '../ws/live-test-client'
import type { MetricsSnapshot } from './snapshot'

describe('metrics', () => {
  let st: TestStation
  let url: string
  let admin: string
  let guard: string

  beforeAll(async () => {
    st = await createTestStation()
    url = (await st.start()).url
    admin = await st.login()
    guard = await st.guardToken()
    for (let i = 0; i < 5; i++) await fetch(`${url}/api/health`)
  })
  afterAll(() => st.close())

  it('puts X-Response-Time (ms, 2 decimals) on every response, errors included', async () => {
    for (const [path, status, token] of [
      ['/api/health', 200, undefined],
      ['/api/events', 401, undefined],
      ['/api/metrics', 403, guard],
      ['/api/no-such-route', 404, admin],
    ] as const) {
      const res = await fetch(`${url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {})
      expect(res.status).toBe(status)
      expect(res.headers.get('x-response-time')).toMatch(/^\d+\.\d{2}$/)
    }
  })

  it('GET /api/metrics: the whole picture, for admins only', async () => {
    expect((await fetch(`${url}/api/metrics`)).status).toBe(401)
    const asGuard = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${guard}` } })
    expect(asGuard.status).toBe(403)

    const live = await connectLive(url, guard)
    await live.next('hello')
    const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const m = ((await res.json()) as { data: MetricsSnapshot }).data
    expect(m.memory.rss).toBeGreaterThan(0)
    expect(m.memory.heapUsed).toBeGreaterThan(0)
    expect(Object.keys(m.eventLoopDelay).sort()).toEqual(
      ['maxMs', 'meanMs', 'p50Ms', 'p99Ms', 'samples', 'windowSeconds'].sort(),
    )
    expect(m.websockets.open).toBeGreaterThanOrEqual(1)
    expect(m.websockets.max).toBe(st.config.ws.maxConnections)
    expect(m.websockets.live).toMatchObject({ subscribers: 1, dropped: 0, slowDisconnects: 0 })
    expect(m.websockets.devices).toMatchObject({ connected: 0 })
    expect(m.readPool).toMatchObject({
      mode: 'workers',
      size: st.config.readPoolSize,
      readsTimedOut: 0,
      restarts: 0,
    })
    expect(m.writer).toMatchObject({ mode: 'worker', failed: 0, restarts: 0 })
    expect(m.writer.ops).toBeGreaterThanOrEqual(0)
    const queues = m.queues.map((q) => q.name)
    expect(queues).toEqual(expect.arrayContaining(['events', 'buzzers']))
    expect(m.queues[0]).toHaveProperty('avgFlushMs')
    expect(m.domainCaches.map((c) => c.name)).toContain('buzzer-statuses')
    expect(m.responseCache).toMatchObject({
      hits: expect.any(Number),
      misses: expect.any(Number),
      size: expect.any(Number),
    })
    const health = m.http.routes.find((r) => r.route === '/api/health')!
    expect(health.method).toBe('GET')
    expect(health.count).toBeGreaterThanOrEqual(6)
    expect(health.byClass['2xx']).toBe(health.count)
    expect(health.p50Ms).toBeLessThanOrEqual(health.p95Ms)
    expect(health.p95Ms).toBeLessThanOrEqual(health.p99Ms)
    expect(health.p99Ms).toBeLessThanOrEqual(health.maxMs)
    expect(m.http.requests).toBeGreaterThanOrEqual(health.count)
    await live.close()
  })

  it('GET /metrics: Prometheus text, for admins (bearer token) only', async () => {
    const asGuard = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${guard}` } })
    expect(asGuard.status).toBe(403)
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    const lines = text.trimEnd().split('\n')
    // Every line is blank (between families), a comment or `name{labels} value`.
    for (const line of lines) {
      expect(line).toMatch(/^(|# (HELP|TYPE) \w+ .+|[a-z_][a-z0-9_]*(\{[^}]*\})? (-?[\d.e+-]+|\+Inf|NaN))$/)
    }
    expect(text).toContain('# TYPE station_http_request_duration_seconds histogram')
    expect(text).toMatch(
      /station_http_request_duration_seconds_bucket\{(?=[^}]*le="\+Inf")(?=[^}]*method="GET")(?=[^}]*route="\/api\/health")[^}]*\} \d+/,
    )
    expect(text).toMatch(
      /station_http_request_duration_seconds_count\{method="GET",route="\/api\/health"\} \d+/,
    )
    expect(text).toMatch(
      /station_http_responses_total\{method="GET",route="\/api\/health",status_class="2xx"\} \d+/,
    )
    expect(text).toMatch(/station_queue_pending\{queue="events"\} 0/)
    expect(text).toContain('# TYPE station_queue_flush_duration_seconds histogram')
    expect(text).toMatch(/station_queue_flush_duration_seconds_count\{queue="events"\} \d+/)
    // Node's default process metrics, from the station's own registry.
    expect(text).toMatch(/process_resident_memory_bytes \d+/)
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds \d/)
    expect(text).toMatch(/station_websocket_connections \d+/)
    expect(text).toMatch(/station_live_subscribers \d+/)
    expect(text).toMatch(/station_read_pool_reads_total\{result="ok"\} \d+/)
    expect(text).toMatch(/station_read_pool_timeouts_total 0/)
    expect(text).toMatch(/station_read_pool_restarts_total 0/)
    expect(text).toMatch(/station_writer_ops_total\{result="ok"\} \d+/)
    expect(text).toMatch(/station_response_cache_hits_total \d+/)
    expect(text).toMatch(/station_domain_cache_hits_total\{cache="buzzer-statuses"\} \d+/)
    // No averages or maxima passed off as gauges, no summary whose quantile "1" is the maximum.
    expect(text).not.toMatch(/_(avg|max)(\{| )/)
    expect(text).not.toContain('quantile="1"')
  })
})
