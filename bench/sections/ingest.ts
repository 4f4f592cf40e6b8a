/**
 * Ingestion over HTTP: one reading per request (acknowledged after commit) vs a bare Fastify route that only
 * parses the same JSON; the group-commit knee at 1/4/16/64 connections; the 1000-reading batch endpoint.
 */
import { DEVICE_KEY_HEADER } from '../../src/shared/constants'
import { LatencyHistogram } from '../../src/main/metrics/histogram'
import type { HttpLoadResult, HttpLoadSpec, HttpRequestSpec } from '../http-load'
import { DEVICE_KEY, median, routeMissing, type BenchContext } from '../setup'
import { na, num, verdict } from '../table'
import { reportNon2xx } from './cache'

const PATH = '/api/v1/ingest/sensor-data'
const RATIO_CONNECTIONS = 64
const KNEE = [1, 4, 16, 64]
const BATCH_CONNECTIONS = 4

function readingsQueue(ctx: BenchContext) {
  const all = ctx.main.station.app.queues.stats()
  return all.find((q) => q.name.toLowerCase().includes('reading'))
}

export async function ingestSection(ctx: BenchContext): Promise<void> {
  const { app } = ctx.main.station
  const headers = { [DEVICE_KEY_HEADER]: DEVICE_KEY }
  const figure = `One reading per request, ack after commit, req/s (${RATIO_CONNECTIONS} conns)`
  const batchFigure = 'Batch endpoint (1000 readings/request) readings/s'
  if (await routeMissing(app, 'POST', PATH, headers)) {
    ctx.rows.push(na(figure, '>= 0.6x', 'route missing'), na(batchFigure, '>= 250,000/s', 'route missing'))
    return
  }
  const singles: HttpRequestSpec[] = Array.from({ length: RATIO_CONNECTIONS }, (_, i) => ({
    method: 'POST',
    path: PATH,
    headers,
    body: JSON.stringify({
      deviceId: `bench-ingest-${i}`,
      sensor: 'temperature',
      value: 20 + i / 10,
      unit: 'C',
    }),
  }))
  const spec = (port: number, connections: number, requests: HttpRequestSpec[]): HttpLoadSpec => ({
    host: '127.0.0.1',
    port,
    requests,
    connections,
    durationMs: ctx.roundMs,
    warmupMs: ctx.warmupMs,
  })

  const s: HttpLoadResult[] = []
  const b: HttpLoadResult[] = []
  for (let r = 0; r < ctx.rounds; r++) {
    s.push(
      await ctx.agent.call<HttpLoadResult>({
        kind: 'http',
        spec: spec(ctx.main.port, RATIO_CONNECTIONS, singles),
      }),
    )
    b.push(
      await ctx.agent.call<HttpLoadResult>({
        kind: 'http',
        spec: spec(ctx.baseline.port, RATIO_CONNECTIONS, singles),
      }),
    )
    ctx.log(
      `  round ${r + 1}/${ctx.rounds}: station ${num(s[r]!.rps)} req/s, baseline ${num(b[r]!.rps)} req/s`,
    )
  }
  reportNon2xx(ctx, 'single-reading ingest', s)
  const sr = median(s.map((x) => x.rps))
  const br = median(b.map((x) => x.rps))
  ctx.rows.push({
    figure,
    station: num(sr),
    baseline: num(br),
    ratio: `${(sr / br).toFixed(2)}x`,
    goal: '>= 0.6x',
    result: verdict(sr / br >= 0.6),
  })

  // The group-commit knee: acknowledged req/s and latency by connection count, and readings per commit.
  const kneeRounds = ctx.quick ? 1 : 3
  for (const c of KNEE) {
    const runs: HttpLoadResult[] = []
    const before = readingsQueue(ctx)
    for (let r = 0; r < kneeRounds; r++) {
      runs.push(await ctx.agent.call<HttpLoadResult>({ kind: 'http', spec: spec(ctx.main.port, c, singles) }))
    }
    const after = readingsQueue(ctx)
    const flushes = (after?.flushes ?? 0) - (before?.flushes ?? 0)
    const committed = (after?.committed ?? 0) - (before?.committed ?? 0)
    const lat = runs.map((x) => new LatencyHistogram(x.latencyCounts))
    const rps = median(runs.map((x) => x.rps))
    const p50 = median(lat.map((h) => h.quantile(0.5)))
    const p99 = median(lat.map((h) => h.quantile(0.99)))
    const batch = flushes > 0 ? `${(committed / flushes).toFixed(1)} readings/commit` : 'queue stats n/a'
    ctx.log(
      `  knee ${c} conns: ${num(rps)} req/s, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ${batch}`,
    )
    ctx.rows.push({
      figure: `  knee: ${c} conn${c > 1 ? 's' : ''} (ack req/s; p50/p99; batch)`,
      station: `${num(rps)}; ${p50.toFixed(2)}/${p99.toFixed(2)} ms; ${batch}`,
      baseline: '',
      ratio: '',
      goal: 'report',
      result: '',
    })
  }

  // The batch endpoint: 1000 readings per request, one device per connection.
  const batches: HttpRequestSpec[] = Array.from({ length: BATCH_CONNECTIONS }, (_, c) => ({
    method: 'POST',
    path: PATH,
    headers,
    body: JSON.stringify({
      readings: Array.from({ length: 1000 }, (_, i) => ({
        deviceId: `bench-batch-${c}`,
        sensor: i % 2 ? 'humidity' : 'temperature',
        value: i % 2 ? 40 + (i % 17) / 10 : 20 + (i % 13) / 10,
        unit: i % 2 ? '%' : 'C',
      })),
    }),
  }))
  const bs: HttpLoadResult[] = []
  const bb: HttpLoadResult[] = []
  for (let r = 0; r < ctx.rounds; r++) {
    bs.push(
      await ctx.agent.call<HttpLoadResult>({
        kind: 'http',
        spec: spec(ctx.main.port, BATCH_CONNECTIONS, batches),
      }),
    )
    bb.push(
      await ctx.agent.call<HttpLoadResult>({
        kind: 'http',
        spec: spec(ctx.baseline.port, BATCH_CONNECTIONS, batches),
      }),
    )
    ctx.log(
      `  batch round ${r + 1}/${ctx.rounds}: station ${num(bs[r]!.rps * 1000)} readings/s, baseline ${num(bb[r]!.rps * 1000)}`,
    )
  }
  reportNon2xx(ctx, 'batch ingest', bs)
  const bsr = median(bs.map((x) => x.rps * 1000))
  const bbr = median(bb.map((x) => x.rps * 1000))
  ctx.rows.push({
    figure: `${batchFigure} (${BATCH_CONNECTIONS} conns)`,
    station: num(bsr),
    baseline: `${num(bbr)} (parse only)`,
    ratio: `${(bsr / bbr).toFixed(2)}x`,
    goal: '>= 250,000/s',
    result: verdict(bsr >= 250_000),
  })
}
