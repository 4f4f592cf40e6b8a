/**
 * The video-rtsp benchmark's other side, a child process (its CPU is not the station's): the simulated RTSP
 * cameras (src/main/video/sim, pre-encoded H.264 served as is), full-rate WebSocket viewers that tell which
 * frame of which camera each fragment is, stalled viewers (a socket that upgrades and never reads), and
 * timed first fragments. Driven over IPC by bench/sections/video-rtsp.ts (`RtspLoad`).
 *
 * Which frame a fragment is: the tail of its mdat is the tail of the access unit's last NAL unit, unique
 * in the file, so it names the unit; the path's emission log names the clock frame that last sent that
 * unit, and when (wall clock). Emitted and received are counted over one window of emission times.
 */
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import { LatencyHistogram } from '../../src/main/metrics/histogram'
import { RtspSimServer } from '../../src/main/video/sim/rtsp-server'
import type { PacketizedUnit, PathSubscriber, RtspPath } from '../../src/main/video/sim/rtsp-path'

export interface ServePlan {
  file: string
  fps: number
  width: number
  height: number
  paths: string[]
}

export interface WatchPlan {
  stationUrl: string
  guardToken: string
  cameras: { id: number; path: string }[]
  fullViewers: number
  stalledViewers: number
}

export interface DeliveryResult {
  viewers: { cameraId: number; received: number; emitted: number }[]
  emittedInWindow: number
  /** Fragments whose frame could not be named (should be 0: the measurement would be wrong). */
  unmatched: number
  duplicates: number
  /** RTSP server emission → WebSocket viewer received it, over the window. */
  latency: { p50: number; p95: number; p99: number; count: number }
  clockJumps: number
  stalledReplaced: number
  stalledDropsByServer: number
  /** This process's CPU (% of one core) and event-loop delay p99 (ms) during the window. */
  generator: { cpuPercent: number; loopP99Ms: number }
}

export interface FirstFragment {
  ms: number
  keyframe: boolean
}

export type RtspLoadCommand =
  | { op: 'serve'; plan: ServePlan }
  | { op: 'watch'; plan: WatchPlan }
  | { op: 'window-start' }
  | { op: 'window-end' }
  | { op: 'delivery' }
  | { op: 'first-fragment'; stationUrl: string; token: string; cameraId: number; path: string }
  | { op: 'idle'; path: string; timeoutMs: number }
  | { op: 'emissions'; path: string; from: number; to: number }
  | { op: 'emitted'; path: string; from: number; to: number }
  | { op: 'stop' }

const wall = () => performance.timeOrigin + performance.now()

/** The tail of an access unit's last NAL unit (trailing zero bytes aside), as a map key. */
function tailKey(bytes: Buffer): string {
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0) end--
  return bytes.subarray(Math.max(0, end - 16), end).toString('hex')
}

/** Every emission of one path: the latest per unit of the file, a bounded history, a window count. */
class EmissionLog implements PathSubscriber {
  readonly last: ({ frame: number; wall: number } | undefined)[]
  private readonly history: { index: number; wall: number }[] = []
  emittedInWindow = 0
  clockJumps = 0

  constructor(
    private readonly window: { from: number; to: number },
    units: number,
  ) {
    this.last = new Array<undefined>(units).fill(undefined)
  }

  deliver(unit: PacketizedUnit, _timestamp: number, frame: number): void {
    const t = wall()
    this.last[unit.index] = { frame, wall: t }
    if (t >= this.window.from && t < this.window.to) this.emittedInWindow++
    this.history.push({ index: unit.index, wall: t })
    // About 3 minutes at 25 fps.
    if (this.history.length > 5000) this.history.splice(0, 1000)
  }

  resync(): void {
    this.clockJumps++
  }

  between(from: number, to: number) {
    return this.history.filter((e) => e.wall >= from && e.wall <= to)
  }

  /** Emissions in [from, to) (the history covers the last 3 minutes or so). */
  count(from: number, to: number): number {
    if (this.history.length && this.history[0]!.wall > from)
      throw new Error('the emission history does not reach back that far')
    return this.history.reduce((n, e) => n + (e.wall >= from && e.wall < to ? 1 : 0), 0)
  }
}

let server: RtspSimServer | undefined
const logs = new Map<string, EmissionLog>()
/** Tail of each unit of the file → its index and whether it is a keyframe. */
const units = new Map<string, { index: number; keyframe: boolean }>()
const win = { from: Infinity, to: Infinity }
const latency = new LatencyHistogram()
const closers: (() => void)[] = []
let stalledReplaced = 0
let unmatched = 0
let duplicates = 0
let closing = false

async function serve(plan: ServePlan): Promise<{ port: number }> {
  server = new RtspSimServer({ streams: [] })
  for (const path of plan.paths) {
    const p: RtspPath = server.addPath({
      path,
      file: plan.file,
      fps: plan.fps,
      width: plan.width,
      height: plan.height,
    })
    if (units.size === 0)
      p.stream.units.forEach((u, index) =>
        units.set(tailKey(u.nals.at(-1)!), { index, keyframe: u.keyframe }),
      )
    const log = new EmissionLog(win, p.units.length)
    // The log keeps the path's clock running, as a real camera's would.
    p.attach(log)
    logs.set(path, log)
  }
  if (units.size !== server.stats().paths[0]!.accessUnits)
    throw new Error('the test video has access units with the same tail: frames cannot be told apart')
  await server.start()
  return { port: server.port }
}

interface Named {
  index: number
  keyframe: boolean
  frame: number
  wall: number
}

function name(log: EmissionLog, data: Buffer): Named | undefined {
  const u = units.get(tailKey(data))
  const e = u && log.last[u.index]
  return u && e ? { ...u, ...e } : undefined
}

function viewerUrl(stationUrl: string, cameraId: number): string {
  return `${stationUrl.replace(/^http/, 'ws')}/ws/stream/${cameraId}?stream=main`
}

function fullViewer(plan: WatchPlan, cameraId: number, log: EmissionLog) {
  const v = { cameraId, received: 0 }
  let binaries = 0
  let lastFrame = -1
  const ws = new WebSocket(viewerUrl(plan.stationUrl, cameraId), {
    headers: { authorization: `Bearer ${plan.guardToken}` },
    perMessageDeflate: false,
  })
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary || binaries++ === 0) return // the init segment
    const at = wall()
    const f = name(log, data)
    if (!f) return void unmatched++
    if (f.frame <= lastFrame) return void duplicates++
    lastFrame = f.frame
    if (f.wall >= win.from && f.wall < win.to) {
      v.received++
      latency.record(at - f.wall)
    }
  })
  ws.on('error', () => {})
  closers.push(() => ws.terminate())
  return v
}

/** Opens the socket, upgrades to a WebSocket viewer and never reads: a frozen tab. */
function stalledViewer(stationUrl: string, token: string, cameraId: number): () => void {
  const u = new URL(stationUrl)
  const s = net.connect(Number(u.port), u.hostname, () => {
    s.write(
      `GET /ws/stream/${cameraId}?stream=main HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        `Sec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    )
  })
  s.pause()
  s.on('error', () => {})
  return () => s.destroy()
}

const viewers: { cameraId: number; received: number; path: string }[] = []

function watch(plan: WatchPlan): void {
  for (const cam of plan.cameras) {
    const log = logs.get(cam.path)
    if (!log) throw new Error(`no path ${cam.path}`)
    for (let i = 0; i < plan.fullViewers; i++)
      viewers.push(Object.assign(fullViewer(plan, cam.id, log), { path: cam.path }))
    for (let i = 0; i < plan.stalledViewers; i++) {
      // Replaced every 45 s, before the station's 60 s stall limit drops it (as bench/video-load.ts does).
      const open = () => {
        const close = stalledViewer(plan.stationUrl, plan.guardToken, cam.id)
        const t = setTimeout(() => {
          close()
          if (closing) return
          stalledReplaced++
          open()
        }, 45_000)
        closers.push(() => {
          clearTimeout(t)
          close()
        })
      }
      open()
    }
  }
}

let cpu0: NodeJS.CpuUsage | undefined
let generator = { cpuPercent: NaN, loopP99Ms: NaN }
const loop = monitorEventLoopDelay({ resolution: 10 })

/** Starts a window (a later one replaces the previous: counts start over). */
function windowStart(): number {
  latency.reset()
  for (const l of logs.values()) l.emittedInWindow = 0
  for (const v of viewers) v.received = 0
  win.to = Infinity
  win.from = wall()
  cpu0 = process.cpuUsage()
  loop.reset()
  loop.enable()
  return win.from
}

function windowEnd(): number {
  win.to = wall()
  const d = process.cpuUsage(cpu0)
  loop.disable()
  generator = {
    cpuPercent: ((d.user + d.system) / 1000 / (win.to - win.from)) * 100,
    loopP99Ms: loop.percentile(99) / 1e6,
  }
  return win.to
}

function delivery(): DeliveryResult {
  const all = [...logs.values()]
  return {
    viewers: viewers.map((v) => ({
      cameraId: v.cameraId,
      received: v.received,
      emitted: logs.get(v.path)!.emittedInWindow,
    })),
    emittedInWindow: all.reduce((n, l) => n + l.emittedInWindow, 0),
    unmatched,
    duplicates,
    latency: {
      p50: latency.quantile(0.5),
      p95: latency.quantile(0.95),
      p99: latency.quantile(0.99),
      count: latency.count,
    },
    clockJumps: all.reduce((n, l) => n + l.clockJumps, 0),
    stalledReplaced,
    stalledDropsByServer: server?.stats().stalledDrops ?? 0,
    generator,
  }
}

/** Opens a viewer and times its first fragment after the init segment (10 s at most). */
function firstFragment(
  stationUrl: string,
  token: string,
  cameraId: number,
  path: string,
): Promise<FirstFragment> {
  const log = logs.get(path)!
  const t0 = performance.now()
  const ws = new WebSocket(viewerUrl(stationUrl, cameraId), {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  })
  let binaries = 0
  return new Promise<FirstFragment>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no fragment from camera ${cameraId} within 10 s`)),
      10_000,
    )
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || binaries++ === 0) return
      clearTimeout(timer)
      resolve({ ms: performance.now() - t0, keyframe: name(log, data)?.keyframe ?? false })
    })
    ws.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  }).finally(() => ws.terminate())
}

/** Resolves once no RTSP client plays `path` (the station let its ffmpeg go), or after `timeoutMs`. */
async function idle(path: string, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    if (!server?.stats().clients.some((c) => c.path === path)) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

async function stop(): Promise<void> {
  closing = true
  for (const c of closers.splice(0)) c()
  await server?.stop()
}

async function run(cmd: RtspLoadCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'serve':
      return serve(cmd.plan)
    case 'watch':
      return watch(cmd.plan)
    case 'window-start':
      return windowStart()
    case 'window-end':
      return windowEnd()
    case 'delivery':
      return delivery()
    case 'first-fragment':
      return firstFragment(cmd.stationUrl, cmd.token, cmd.cameraId, cmd.path)
    case 'idle':
      return idle(cmd.path, cmd.timeoutMs)
    case 'emissions':
      return logs.get(cmd.path)?.between(cmd.from, cmd.to) ?? []
    case 'emitted':
      return logs.get(cmd.path)?.count(cmd.from, cmd.to) ?? 0
    case 'stop':
      return stop()
  }
}

process.on('message', (msg: { id: number; cmd: RtspLoadCommand }) => {
  run(msg.cmd).then(
    (result) => process.send?.({ id: msg.id, ok: true, result }),
    (err: unknown) =>
      process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  )
})
// The benchmark went away: close everything and go.
process.on('disconnect', () => {
  void stop().finally(() => process.exit(0))
})
