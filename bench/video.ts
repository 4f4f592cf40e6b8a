/**
 * The benchmark's video section: N push cameras x fps of real 640x480 JPEGs, each watched by full-rate
 * viewers (WebSocket and MJPEG) and stalled viewers; frames delivered per full-rate viewer, added latency
 * (capture time in the frame's COM segment → viewer), station CPU (process.cpuUsage) and RSS over time.
 * Then an MJPEG camera watched by 10 viewers: the connections it holds. The load runs in a child process
 * (bench/video-load.ts). `videoSection(ctx)` plugs into bench/run.ts; `npm exec tsx bench/video.ts` runs
 * it alone (`--duration 300` for the 5-minute RSS check).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cpus, loadavg } from 'node:os'
import type { Station } from '../src/main/station'
import { DEVICE_KEY, adminToken, startStation, type BenchContext } from './setup'
import { renderTable, verdict, num, type Row } from './table'
import type { LoadPlan, LoadResult } from './video-load'

export interface VideoBenchOptions {
  cameras: number
  fps: number
  /** Full-rate viewers per camera (alternating WebSocket and MJPEG). */
  fullViewers: number
  /** Viewers per camera that never read. */
  stalledViewers: number
  push: 'http' | 'ws'
  warmupMs: number
  measureMs: number
  pullViewers: number
}

export const DEFAULT_VIDEO_BENCH: VideoBenchOptions = {
  cameras: 16,
  fps: 25,
  fullViewers: 2,
  stalledViewers: 1,
  push: 'http',
  warmupMs: 3000,
  measureMs: 60_000,
  pullViewers: 10,
}

export interface VideoBenchResult {
  options: VideoBenchOptions
  load: LoadResult
  /** Station process CPU over the measurement window, in % of one core. */
  cpuPercent: number
  rss: { startMb: number; endMb: number; maxMb: number; slopeMbPerMin: number; samples: number }
  station: { fpsIn: number; bytesOutPerSec: number; framesSkipped: number; stalledViewersDropped: number }
  /** The station's own share of the latency (its relay histogram, over the run). */
  relay: { p50Ms: number; p95Ms: number; p99Ms: number }
  pull: {
    viewersReceiving: number
    minFrames: number
    cameraConnections: number
    cameraTotalConnections: number
  }
}

class VideoLoad {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  onEvent: (event: string) => void = () => {}

  constructor(private readonly child: ChildProcess) {
    child.on(
      'message',
      (msg: { id?: number; ok?: boolean; result?: unknown; error?: string; event?: string }) => {
        if (msg.event) return this.onEvent(msg.event)
        const w = this.waiting.get(msg.id ?? -1)
        if (!w) return
        this.waiting.delete(msg.id!)
        if (msg.ok) w.resolve(msg.result)
        else w.reject(new Error(msg.error))
      },
    )
    child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`video load exited (${code ?? signal})`))
      this.waiting.clear()
    })
  }

  static start(): VideoLoad {
    // Inherits tsx's loader through process.execArgv.
    const entry = fileURLToPath(new URL('./video-load.ts', import.meta.url))
    return new VideoLoad(fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
  }

  call<T>(cmd: unknown): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.send({ id, cmd })
    })
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect()
  }
}

async function api(
  app: Station['app'],
  token: string,
  method: 'POST' | 'GET',
  url: string,
  payload?: object,
) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  })
  if (res.statusCode >= 300)
    throw new Error(`${method} ${url}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`)
  return res.json() as { data: Record<string, unknown> }
}

/** Least-squares slope of (t ms, y) in y per minute. */
function slopePerMinute(points: [number, number][]): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((a, p) => a + p[0], 0) / n
  const my = points.reduce((a, p) => a + p[1], 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  }
  return den ? (num / den) * 60_000 : 0
}

export async function runVideoBench(
  target: { app: Station['app']; url: string; deviceKey: string },
  options: Partial<VideoBenchOptions> = {},
  log: (line: string) => void = () => {},
): Promise<VideoBenchResult> {
  const o = { ...DEFAULT_VIDEO_BENCH, ...options }
  const { app, url } = target
  const admin = await adminToken(app)
  const tag = Date.now().toString(36)
  await api(app, admin, 'POST', '/api/users', {
    username: `bench-guard-${tag}`,
    password: 'bench-guard-password',
    role: 'guard',
  })
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: `bench-guard-${tag}`, password: 'bench-guard-password' },
  })
  const guardToken = (login.json() as { data: { token: string } }).data.token
  const cameraIds: number[] = []
  for (let i = 0; i < o.cameras; i++) {
    const res = await api(app, admin, 'POST', '/api/cameras', {
      name: `Bench push ${tag} ${i + 1}`,
      kind: 'push',
      fps: o.fps,
    })
    cameraIds.push(res.data.id as number)
  }

  const load = VideoLoad.start()
  try {
    const plan: LoadPlan = {
      stationUrl: url,
      deviceKey: target.deviceKey,
      guardToken,
      cameraIds,
      fps: o.fps,
      fullViewers: o.fullViewers,
      stalledViewers: o.stalledViewers,
      push: o.push,
      warmupMs: o.warmupMs,
      measureMs: o.measureMs,
    }
    log(
      `  ${o.cameras} push cameras (${o.push}) x ${o.fps} fps, ${o.fullViewers} full-rate + ${o.stalledViewers} stalled viewers each; ` +
        `${o.warmupMs / 1000}s warm-up, ${o.measureMs / 1000}s measured`,
    )
    let cpu0: NodeJS.CpuUsage | undefined
    let t0 = 0
    let cpuPercent = NaN
    const rssPoints: [number, number][] = []
    let rssTimer: NodeJS.Timeout | undefined
    const sampleRss = () => rssPoints.push([performance.now(), process.memoryUsage().rss / 1048576])
    load.onEvent = (event) => {
      if (event === 'window-start') {
        cpu0 = process.cpuUsage()
        t0 = performance.now()
        sampleRss()
        rssTimer = setInterval(sampleRss, 1000)
      } else if (event === 'window-end' && cpu0) {
        const d = process.cpuUsage(cpu0)
        cpuPercent = ((d.user + d.system) / 1000 / (performance.now() - t0)) * 100
        clearInterval(rssTimer)
        sampleRss()
      }
    }
    const video = () =>
      (app as unknown as { video: { stats(): import('../src/main/video/video-stats').VideoStats } }).video
    let mid: { fpsIn: number; bytesOutPerSec: number } = { fpsIn: 0, bytesOutPerSec: 0 }
    const midTimer = setTimeout(
      () => {
        mid = video().stats().totals
      },
      o.warmupMs + o.measureMs / 2 + 500,
    )
    const result = await load.call<LoadResult>({ op: 'run', plan })
    clearTimeout(midTimer)
    clearInterval(rssTimer)
    const all = video().stats()
    const stats = all.cameras.filter((c) => cameraIds.includes(c.id))
    // RSS: judged after the first tenth of the window (caches and buffers settle).
    const settled = rssPoints.filter(([t]) => t >= t0 + o.measureMs / 10)
    const rss = {
      startMb: rssPoints[0]?.[1] ?? NaN,
      endMb: rssPoints.at(-1)?.[1] ?? NaN,
      maxMb: Math.max(...rssPoints.map((p) => p[1])),
      slopeMbPerMin: slopePerMinute(settled),
      samples: rssPoints.length,
    }

    // Phase 2: one MJPEG camera, many viewers: one connection to the camera.
    const camUrl = await load.call<string>({ op: 'pull-camera', fps: o.fps })
    const pullCam = await api(app, admin, 'POST', '/api/cameras', {
      name: `Bench mjpeg ${tag}`,
      kind: 'mjpeg',
      url: camUrl,
      fps: o.fps,
      // The load agent's camera serves on this computer.
      allowLocal: true,
    })
    const pull = await load.call<VideoBenchResult['pull']>({
      op: 'watch-pull',
      stationUrl: url,
      token: guardToken,
      cameraId: pullCam.data.id as number,
      viewers: o.pullViewers,
    })
    return {
      options: o,
      load: result,
      cpuPercent,
      rss,
      station: {
        fpsIn: mid.fpsIn,
        bytesOutPerSec: mid.bytesOutPerSec,
        framesSkipped: stats.reduce((n, c) => n + c.framesSkipped, 0),
        stalledViewersDropped: stats.reduce((n, c) => n + c.stalledViewersDropped, 0),
      },
      relay: all.relayLatencyMs,
      pull,
    }
  } finally {
    load.stop()
  }
}

export function videoRows(r: VideoBenchResult): Row[] {
  const o = r.options
  const setup = `${o.cameras} cams x ${o.fps} fps`
  const rssFlat = r.rss.slopeMbPerMin * 5 < 20
  return [
    {
      figure: `Video: frames delivered per full-rate viewer (${setup}, ${r.load.delivery.viewers} viewers + ${o.cameras * o.stalledViewers} stalled)`,
      station: `min ${num(r.load.delivery.min * 100, 2)} %, avg ${num(r.load.delivery.avg * 100, 2)} %`,
      baseline: '',
      ratio: '',
      goal: '≥ 99 %',
      result: verdict(r.load.delivery.min >= 0.99),
    },
    {
      figure: 'Video: added latency camera → viewer, p50 / p95 (p99)',
      station: `${num(r.load.latency.p50, 1)} / ${num(r.load.latency.p95, 1)} ms (${num(r.load.latency.p99, 1)})`,
      baseline: '',
      ratio: '',
      goal: 'p95 ≤ 30 ms',
      result: verdict(r.load.latency.p95 <= 30),
    },
    {
      figure: 'Video: latency inside the station (frame arrives → viewer socket took it), p50 / p95 (p99)',
      station: `${num(r.relay.p50Ms, 2)} / ${num(r.relay.p95Ms, 2)} ms (${num(r.relay.p99Ms, 2)})`,
      baseline: '',
      ratio: '',
      goal: '',
      result: '',
    },
    {
      figure: `Video: station CPU (${num(r.station.fpsIn)} fps in, ${num(r.station.bytesOutPerSec / 1048576, 1)} MB/s out)`,
      station: `${num(r.cpuPercent, 1)} % of one core`,
      baseline: '',
      ratio: '',
      goal: '≤ 60 %',
      result: verdict(r.cpuPercent <= 60),
    },
    {
      figure: `Video: station RSS over ${num(o.measureMs / 1000)} s (start → end, max; slope)`,
      station: `${num(r.rss.startMb)} → ${num(r.rss.endMb)} MB, max ${num(r.rss.maxMb)}; ${num(r.rss.slopeMbPerMin, 2)} MB/min`,
      baseline: '',
      ratio: '',
      goal: 'flat (< 4 MB/min)',
      result: verdict(rssFlat),
    },
    {
      figure: `Video: pull MJPEG camera watched by ${o.pullViewers} viewers: connections to the camera`,
      station: `${r.pull.cameraConnections} (${r.pull.viewersReceiving}/${o.pullViewers} viewers receiving)`,
      baseline: '',
      ratio: '',
      goal: '= 1',
      result: verdict(
        r.pull.cameraConnections === 1 &&
          r.pull.cameraTotalConnections === 1 &&
          r.pull.viewersReceiving === o.pullViewers,
      ),
    },
  ]
}

function notes(r: VideoBenchResult): string[] {
  return [
    `video: ${num(r.load.sentInWindow)} frames sent in the window; cameras skipped ${num(r.load.pushSkipped)} (send still in flight), ${num(r.load.pushFailed)} failed; ` +
      `stalled viewers skipped ${num(r.station.framesSkipped)} frames, ${r.station.stalledViewersDropped} dropped after the stall timeout (replaced every 45 s: ${r.load.stalledReconnects})`,
    `video: the load generator (cameras and viewers, one child process) used ${num(r.load.generator.cpuPercent)} % of a core, event-loop delay p99 ${num(r.load.generator.loopDelayP99Ms, 1)} ms ` +
      `(end-to-end latency includes it; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)})`,
  ]
}

/** The section bench/run.ts calls: uses the shared station, adds rows and notes. */
export async function videoSection(ctx: BenchContext): Promise<void> {
  // Its own station: earlier sections may have stopped or filled the shared one.
  const station = await startStation()
  try {
    const r = await runVideoBench(
      { app: station.station.app, url: station.url, deviceKey: DEVICE_KEY },
      // --quick: a 10 s window (the full run measures 60 s; `bench/video.ts --duration 300` checks RSS).
      ctx.quick ? { measureMs: 10_000, warmupMs: 1500 } : {},
      ctx.log,
    )
    ctx.rows.push(...videoRows(r))
    ctx.notes.push(...notes(r))
  } finally {
    await station.close()
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      cameras: { type: 'string' },
      fps: { type: 'string' },
      viewers: { type: 'string' },
      stalled: { type: 'string' },
      push: { type: 'string' },
    },
  })
  const opts: Partial<VideoBenchOptions> = {}
  if (values.duration) opts.measureMs = Number(values.duration) * 1000
  if (values.cameras) opts.cameras = Number(values.cameras)
  if (values.fps) opts.fps = Number(values.fps)
  if (values.viewers) opts.fullViewers = Number(values.viewers)
  if (values.stalled) opts.stalledViewers = Number(values.stalled)
  if (values.push === 'ws' || values.push === 'http') opts.push = values.push
  const log = (line: string) => process.stdout.write(`${line}\n`)
  const station = await startStation({ STATION_DB_SYNCHRONOUS: 'NORMAL' })
  try {
    log(`Video benchmark: station on ${station.url}, Node ${process.version}`)
    const r = await runVideoBench(
      { app: station.station.app, url: station.url, deviceKey: DEVICE_KEY },
      opts,
      log,
    )
    log('')
    log(renderTable(videoRows(r)))
    for (const n of notes(r)) log(`  - ${n}`)
  } finally {
    await station.close()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`video bench failed: ${err instanceof Error ? err.stack : String(err)}\n`)
      process.exit(1)
    },
  )
}
