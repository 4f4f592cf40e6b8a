/**
 * Pre-fills the main station with a million readings (through the ingest route and its write path), then
 * measures the station's event-loop delay while history queries (raw ranges and buckets) run on the read
 * pool, against the same named queries forced inline on the main thread.
 */
import { DEVICE_KEY_HEADER } from '../../src/shared/constants'
import { InlineReadPool } from '../../src/main/database/read-pool'
import { READ_QUERIES } from '../../src/main/database/read-queries'
import type { HttpLoadResult, HttpRequestSpec } from '../http-load'
import {
  adminToken,
  DEVICE_KEY,
  eventLoopLag,
  median,
  routeMissing,
  sleep,
  type BenchContext,
} from '../setup'
import { na, num, verdict } from '../table'
import { reportNon2xx } from './cache'

const HISTORY_DEVICES = ['bench-hist-1', 'bench-hist-2']
const PER_DEVICE = 500_000
export const SPAN_MS = 7 * 24 * 3600_000
const CONNECTIONS = 4

export function storedReadings(ctx: BenchContext): number {
  const row = ctx.main.station.app.db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }
  return row.n
}

/** Writes 2 x 500,000 readings spread over 7 days (1000 per request, 8 requests in flight). */
export async function prefill(ctx: BenchContext, range: { from: number; to: number }): Promise<boolean> {
  const { app } = ctx.main.station
  const headers = { [DEVICE_KEY_HEADER]: DEVICE_KEY }
  if (await routeMissing(app, 'POST', '/api/v1/ingest/sensor-data', headers)) return false
  const step = SPAN_MS / PER_DEVICE
  const jobs: { device: string; offset: number }[] = []
  for (const device of HISTORY_DEVICES)
    for (let o = 0; o < PER_DEVICE; o += 1000) jobs.push({ device, offset: o })
  const started = performance.now()
  let done = 0
  let failed = 0
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const readings = Array.from({ length: 1000 }, (_, i) => {
        const k = job.offset + i
        return {
          deviceId: job.device,
          sensor: 'temperature',
          value: Math.round((21 + 3 * Math.sin(k / 5000) + Math.random()) * 100) / 100,
          unit: 'C',
          ts: Math.round(range.from + k * step),
        }
      })
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ingest/sensor-data',
        headers,
        payload: { readings },
      })
      if (res.statusCode === 200) done += 1000
      else if (res.statusCode === 503) {
        jobs.unshift(job)
        await sleep(100)
      } else if (++failed === 1) ctx.notes.push(`prefill: HTTP ${res.statusCode} ${res.body.slice(0, 160)}`)
      if (done % 200_000 === 0 && done > 0) ctx.log(`  prefill: ${num(done)} readings`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  const secs = (performance.now() - started) / 1000
  ctx.log(`  prefill: ${num(done)} readings in ${secs.toFixed(1)} s (${num(done / secs)}/s through inject)`)
  return failed === 0
}

export async function historySection(ctx: BenchContext): Promise<void> {
  const { app } = ctx.main.station
  const figure = 'Event-loop delay p99 during history queries (read pool)'
  const to = Date.now() - 60_000
  const range = { from: to - SPAN_MS, to }
  ctx.log(`  ${num(storedReadings(ctx))} readings stored before the pre-fill`)
  if (!(await prefill(ctx, range))) {
    ctx.rows.push(na(figure, '< 20 ms', 'prefill failed or ingest route missing'))
    return
  }
  ctx.log(`  ${num(storedReadings(ctx))} readings stored`)
  const token = await adminToken(app)
  const auth = { authorization: `Bearer ${token}` }
  const q = `sensor=temperature&from=${range.from}&to=${range.to}`
  const probe = `/api/v1/devices/${HISTORY_DEVICES[0]}/readings?${q}&limit=10`
  if (await routeMissing(app, 'GET', probe, auth)) {
    ctx.rows.push(na(figure, '< 20 ms', 'route missing'))
    return
  }
  const probeRes = await app.inject({ method: 'GET', url: probe, headers: auth })
  ctx.notes.push(
    `history probe: HTTP ${probeRes.statusCode}, total=${String((probeRes.json() as { data?: { total?: unknown } }).data?.total)}`,
  )
  const requests: HttpRequestSpec[] = HISTORY_DEVICES.flatMap((d) => [
    { method: 'GET', path: `/api/v1/devices/${d}/readings?${q}&bucket=3600000`, headers: auth },
    { method: 'GET', path: `/api/v1/devices/${d}/readings?${q}&limit=1000`, headers: auth },
  ])

  const pool = { eld: [] as number[], qps: [] as number[] }
  for (let r = 0; r < ctx.rounds; r++) {
    const lag = eventLoopLag()
    const res = await ctx.agent.call<HttpLoadResult>({
      kind: 'http',
      spec: {
        host: '127.0.0.1',
        port: ctx.main.port,
        requests,
        connections: CONNECTIONS,
        durationMs: Math.max(ctx.roundMs, 4000),
        warmupMs: ctx.warmupMs,
      },
    })
    const h = lag.stop()
    pool.eld.push(h.quantile(0.99))
    pool.qps.push(res.rps)
    reportNon2xx(ctx, 'history queries', [res])
    ctx.log(
      `  round ${r + 1}/${ctx.rounds}: ${num(res.rps, 1)} queries/s, event-loop delay p99 ${h.quantile(0.99).toFixed(1)} ms`,
    )
  }

  // Baseline: the same named queries run inline on the main thread (what the pool saves us from).
  const inline = await inlineBaseline(ctx, range)
  const eld = median(pool.eld)
  ctx.rows.push({
    figure: `${figure} (${CONNECTIONS} conns; queries/s)`,
    station: `${eld.toFixed(1)} ms; ${num(median(pool.qps), 1)}/s`,
    baseline: inline ? `${inline.eld.toFixed(1)} ms; ${num(inline.qps, 1)}/s (inline)` : 'n/a',
    ratio: '',
    goal: '< 20 ms',
    result: verdict(eld < 20),
  })
}

async function inlineBaseline(ctx: BenchContext, range: { from: number; to: number }) {
  const { app } = ctx.main.station
  const find = app.db.prepare('SELECT id FROM sensors WHERE device_id = ? AND name = ?')
  const ids = HISTORY_DEVICES.map((d) => (find.get(d, 'temperature') as { id: number } | undefined)?.id)
  if (ids.some((id) => id === undefined)) return undefined
  const inline = new InlineReadPool(app.db, READ_QUERIES)
  const base = { from: range.from, to: range.to }
  const jobs: (() => Promise<unknown>)[][] = ids.flatMap((sensorId) => {
    const sensor = { sensorId: sensorId!, ...base }
    return [
      [
        () => inline.run('readings.count', sensor),
        () => inline.run('readings.buckets', { ...sensor, bucket: 3_600_000, limit: 10_000 }),
      ],
      [
        () => inline.run('readings.count', sensor),
        () => inline.run('readings.range', { ...sensor, limit: 1000, offset: 0 }),
      ],
    ]
  })
  try {
    const eld: number[] = []
    const qps: number[] = []
    for (let r = 0; r < Math.min(ctx.rounds, 3); r++) {
      const lag = eventLoopLag()
      const until = performance.now() + Math.max(ctx.roundMs, 4000)
      let served = 0
      await Promise.all(
        jobs.map(async (steps) => {
          while (performance.now() < until) {
            for (const step of steps) await step()
            served++
            await new Promise((resolve) => setImmediate(resolve))
          }
        }),
      )
      eld.push(lag.stop().quantile(0.99))
      qps.push(served / (Math.max(ctx.roundMs, 4000) / 1000))
      ctx.log(
        `  inline round ${r + 1}: ${num(qps[r]!, 1)} queries/s, event-loop delay p99 ${eld[r]!.toFixed(1)} ms`,
      )
    }
    return { eld: median(eld), qps: median(qps) }
  } catch (err) {
    ctx.notes.push(`inline baseline failed: ${err instanceof Error ? err.message : String(err)}`)
    return undefined
  } finally {
    await inline.close()
  }
}
