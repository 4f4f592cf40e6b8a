/**
 * N device WebSockets (the simulator, in the load agent), each sending a heartbeat and a reading every
 * second: heartbeat-ack p99, and the station's RSS with a million-plus readings stored. The memory of a
 * station is only meaningful in a process that runs nothing else, so this section moves the main
 * station's data to a station in its own process (plain Node, no TypeScript loader) and measures that.
 */
import { execSync } from 'node:child_process'
import { loadConfig } from '../../src/main/config'
import { createStation } from '../../src/main/station'
import type { SimulatorStats } from '../../src/main/simulator/stats'
import { startChildStation, type ChildStation } from '../station-child'
import { DEVICE_KEY, eventLoopLag, median, sleep, type BenchContext } from '../setup'
import { na, num, verdict } from '../table'
import { prefill, SPAN_MS, storedReadings } from './history'

type Target = Omit<ChildStation, 'pid'> & { label: string }

function fdLimit(): string {
  try {
    const [soft, hard] = execSync('ulimit -n; ulimit -Hn', { shell: '/bin/sh' }).toString().trim().split('\n')
    return `${soft} (hard ${hard})`
  } catch {
    return 'unknown'
  }
}

/** The same data in a station of its own process; in this process when that cannot be started. */
async function moveStation(ctx: BenchContext): Promise<Target> {
  await ctx.main.station.stop()
  try {
    const child = await startChildStation(ctx.main.env)
    return { ...child, label: `station in its own process (pid ${child.pid}, plain Node)` }
  } catch (err) {
    ctx.notes.push(
      `could not start a separate station process (${err instanceof Error ? err.message : String(err)}): measured in the benchmark's process`,
    )
    const station = await createStation(loadConfig(ctx.main.env), { logger: false })
    const { url } = await station.start()
    const count = station.app.db.prepare('SELECT count(*) AS n FROM readings')
    let lag = eventLoopLag()
    return {
      url,
      label: 'station in the benchmark process (RSS includes the tsx loader and the orchestrator)',
      mem: async () => process.memoryUsage(),
      lag: async () => {
        const p99 = lag.stop().quantile(0.99)
        lag = eventLoopLag()
        return p99
      },
      count: async () => (count.get() as { n: number }).n,
      stop: async () => {
        lag.stop()
        await station.stop()
      },
    }
  }
}

export async function socketsSection(ctx: BenchContext): Promise<void> {
  const n = ctx.sockets
  const hbFigure = `Heartbeat ack p99, ${num(n)} device WebSockets`
  const rssFigure = 'Station RSS with the sockets open'
  if (storedReadings(ctx) < 1_000_000) {
    const to = Date.now() - 60_000
    await prefill(ctx, { from: to - SPAN_MS, to })
  }
  ctx.notes.push(
    `file descriptors: ulimit -n ${fdLimit()}; each socket takes one in the station and one in the load agent`,
  )
  const target = await moveStation(ctx)
  try {
    await measure(ctx, target, n, hbFigure, rssFigure)
  } finally {
    await target.stop()
  }
}

async function measure(ctx: BenchContext, target: Target, n: number, hbFigure: string, rssFigure: string) {
  const stored = await target.count()
  const idle = await target.mem()
  ctx.log(
    `  ${target.label}: ${num(stored)} readings stored, RSS ${(idle.rss / 2 ** 20).toFixed(0)} MB idle; opening ${num(n)} device WebSockets...`,
  )
  const started = performance.now()
  let s: SimulatorStats
  try {
    s = await ctx.agent.call<SimulatorStats>({
      kind: 'sim-start',
      opts: {
        url: target.url,
        key: DEVICE_KEY,
        mode: 'ws',
        devices: n,
        rate: 1,
        sensors: 1,
        heartbeatMs: 1000,
        concurrency: 100,
        prefix: 'bench-ws-',
        requestTimeoutMs: 30_000,
      },
      readyTimeoutMs: 120_000,
    })
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    ctx.rows.push(na(hbFigure, '<= 25 ms', why), na(rssFigure, '<= 300 MB', why))
    return
  }
  ctx.log(
    `  ${num(s.connected)}/${num(n)} connected in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  if (s.connected === 0) {
    const why = `no socket connected: ${s.lastError ?? 'unknown'}`
    await ctx.agent.call({ kind: 'sim-stop' })
    ctx.rows.push(na(hbFigure, '<= 25 ms', why), na(rssFigure, '<= 300 MB', why))
    return
  }
  if (s.connected < n)
    ctx.notes.push(
      `only ${num(s.connected)} of ${num(n)} sockets connected (last error: ${s.lastError ?? 'none'})`,
    )
  await sleep(ctx.warmupMs + 1000)

  const p99s: number[] = []
  const eld: number[] = []
  let peak = idle
  let last: SimulatorStats = s
  for (let r = 0; r < ctx.rounds; r++) {
    await ctx.agent.call({ kind: 'sim-reset' })
    await target.lag()
    const until = performance.now() + Math.max(ctx.roundMs, 3000)
    while (performance.now() < until) {
      const m = await target.mem()
      if (m.rss > peak.rss) peak = m
      await sleep(250)
    }
    eld.push(await target.lag())
    last = await ctx.agent.call<SimulatorStats>({ kind: 'sim-stats' })
    p99s.push(last.heartbeatAckMs.p99Ms)
    ctx.log(
      `  round ${r + 1}/${ctx.rounds}: ${num(last.connected)} open, heartbeat ack p50 ${last.heartbeatAckMs.p50Ms.toFixed(1)} ms p99 ${last.heartbeatAckMs.p99Ms.toFixed(1)} ms, ` +
        `reading ack p99 ${last.readingAckMs.p99Ms.toFixed(1)} ms, RSS ${(peak.rss / 2 ** 20).toFixed(0)} MB, event-loop p99 ${eld[r]!.toFixed(1)} ms`,
    )
  }
  const final = await ctx.agent.call<SimulatorStats>({ kind: 'sim-stop' })
  const readings = await target.count()
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`
  ctx.notes.push(
    `device sockets: ${num(final.readingsAcknowledged)} readings acknowledged of ${num(final.readingsSent)} sent, ${num(final.heartbeatsAcknowledged)} heartbeats acked, ` +
      `${final.errors} errors, ${final.disconnects} disconnects${final.lastError ? ` (last: ${final.lastError})` : ''}`,
    `${target.label}: RSS ${mb(idle.rss)} idle, ${mb(peak.rss)} at the peak (V8 heap ${mb(peak.heapUsed)} used of ${mb(peak.heapTotal)}, external ${mb(peak.external)}); event-loop delay p99 with the sockets open ${median(eld).toFixed(1)} ms`,
  )
  const p99 = median(p99s)
  const rssMb = peak.rss / 2 ** 20
  ctx.rows.push(
    {
      figure: `${hbFigure} (${num(last.connected)} open)`,
      station: `${p99.toFixed(1)} ms`,
      baseline: '',
      ratio: '',
      goal: '<= 25 ms',
      result: verdict(p99 <= 25 && last.connected === n),
    },
    {
      figure: `${rssFigure}, ${(readings / 1e6).toFixed(2)}M readings stored`,
      station: `${rssMb.toFixed(0)} MB (peak)`,
      baseline: `${mb(idle.rss)} idle`,
      ratio: '',
      goal: '<= 300 MB',
      result: verdict(rssMb <= 300 && readings >= 1_000_000),
    },
  )
}
