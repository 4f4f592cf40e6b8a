/** Cached `GET /api/cameras/active` through the whole stack vs a bare Fastify route serving the same bytes. */
import { LatencyHistogram } from '../../src/main/metrics/histogram'
import type { HttpLoadResult, HttpLoadSpec } from '../http-load'
import { adminToken, median, routeMissing, type BenchContext } from '../setup'
import { na, num, verdict } from '../table'

const CONNECTIONS = 50
/** The open-loop latency figure: 50 connections at 100 requests a second each. */
const OPEN_LOOP_RATE = 100

export async function cacheSection(ctx: BenchContext): Promise<void> {
  const { app } = ctx.main.station
  const rpsFigure = `Cached GET /api/cameras/active req/s (${CONNECTIONS} conns)`
  const p99Figure = `Cached GET /api/cameras/active p99 (${CONNECTIONS} conns, ${num(CONNECTIONS * OPEN_LOOP_RATE)} req/s)`
  const satFigure = `Cached GET /api/cameras/active p99 (${CONNECTIONS} conns, saturated)`
  const token = await adminToken(app)
  const auth = { authorization: `Bearer ${token}` }
  if (await routeMissing(app, 'GET', '/api/cameras/active', auth)) {
    ctx.rows.push(
      na(rpsFigure, '>= 0.8x', 'route missing'),
      na(p99Figure, '<= 5 ms', 'route missing'),
      na(satFigure, '', 'route missing'),
    )
    return
  }
  for (let i = 1; i <= 8; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: auth,
      payload: {
        name: `Bench camera ${i}`,
        kind: 'mjpeg',
        url: `http://192.168.10.${i}/video.mjpg`,
        enabled: true,
      },
    })
    if (res.statusCode >= 300)
      ctx.notes.push(`creating a camera answered HTTP ${res.statusCode}: ${res.body.slice(0, 120)}`)
  }
  const first = await app.inject({ method: 'GET', url: '/api/cameras/active', headers: auth })
  const second = await app.inject({ method: 'GET', url: '/api/cameras/active', headers: auth })
  ctx.baseline.setCameras(first.body, String(first.headers['content-type'] ?? 'application/json'))
  ctx.notes.push(
    `cameras/active: ${first.body.length} bytes; X-Cache on the first/second request: ${String(first.headers['x-cache'] ?? 'none')}/${String(second.headers['x-cache'] ?? 'none')}`,
  )

  const spec = (port: number, headers: Record<string, string>, ratePerConnection?: number): HttpLoadSpec => ({
    host: '127.0.0.1',
    port,
    requests: [{ method: 'GET', path: '/api/cameras/active', headers }],
    connections: CONNECTIONS,
    durationMs: ctx.roundMs,
    warmupMs: ctx.warmupMs,
    ratePerConnection,
  })
  // One unmeasured round per target first, so both are measured with their hot paths compiled.
  await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.main.port, auth) })
  await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.baseline.port, {}) })
  const s: HttpLoadResult[] = []
  const b: HttpLoadResult[] = []
  for (let r = 0; r < ctx.rounds; r++) {
    s.push(await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.main.port, auth) }))
    b.push(await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.baseline.port, {}) }))
    ctx.log(
      `  round ${r + 1}/${ctx.rounds}: station ${num(s[r]!.rps)} req/s, baseline ${num(b[r]!.rps)} req/s`,
    )
  }
  // Open loop at a fixed rate: the latency a client sees while the station has headroom.
  const so: HttpLoadResult[] = []
  const bo: HttpLoadResult[] = []
  for (let r = 0; r < ctx.rounds; r++) {
    so.push(
      await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.main.port, auth, OPEN_LOOP_RATE) }),
    )
    bo.push(
      await ctx.agent.call<HttpLoadResult>({
        kind: 'http',
        spec: spec(ctx.baseline.port, {}, OPEN_LOOP_RATE),
      }),
    )
  }
  reportNon2xx(ctx, 'cameras/active', [...s, ...so])
  const p99 = (rs: HttpLoadResult[]) =>
    median(rs.map((x) => new LatencyHistogram(x.latencyCounts).quantile(0.99)))
  const sr = median(s.map((x) => x.rps))
  const br = median(b.map((x) => x.rps))
  const sp99 = p99(so)
  const bp99 = p99(bo)
  ctx.notes.push(
    `cameras/active saturated p99: with ${CONNECTIONS} connections each waiting for its answer, mean latency is ${CONNECTIONS} / throughput (Little's law), so the bare route's own p99 sits near 2x that; the ${num(CONNECTIONS * OPEN_LOOP_RATE)} req/s row is the latency a client sees with headroom`,
  )
  ctx.rows.push(
    {
      figure: rpsFigure,
      station: num(sr),
      baseline: num(br),
      ratio: `${(sr / br).toFixed(2)}x`,
      goal: '>= 0.8x',
      result: verdict(sr / br >= 0.8),
    },
    {
      figure: p99Figure,
      station: `${sp99.toFixed(2)} ms`,
      baseline: `${bp99.toFixed(2)} ms`,
      ratio: '',
      goal: '<= 5 ms',
      result: verdict(sp99 <= 5),
    },
    {
      figure: satFigure,
      station: `${p99(s).toFixed(2)} ms`,
      baseline: `${p99(b).toFixed(2)} ms`,
      ratio: `${(p99(s) / p99(b)).toFixed(2)}x`,
      goal: '',
      result: 'info',
    },
  )
}

/** Notes answers other than 2xx (rate limiting, errors): they are not counted as served. */
export function reportNon2xx(ctx: BenchContext, what: string, results: HttpLoadResult[]): void {
  const bad: Record<string, number> = {}
  let errors = 0
  let firstError: string | undefined
  for (const r of results) {
    errors += r.errors
    firstError ??= r.firstError
    for (const [status, n] of Object.entries(r.statuses))
      if (!status.startsWith('2')) bad[status] = (bad[status] ?? 0) + n
  }
  const parts = Object.entries(bad).map(([s, n]) => `${n} x HTTP ${s}`)
  if (errors) parts.push(`${errors} connection errors (${firstError ?? ''})`)
  if (parts.length) ctx.notes.push(`${what}: not counted: ${parts.join(', ')}`)
}
