/**
 * The video benchmark's load generator, run as a child process (so it does not share the station's event
 * loop): simulated push cameras sending real 640x480 JPEGs, full-rate viewers (WebSocket and MJPEG) that
 * measure what they receive, stalled viewers that read nothing, and an MJPEG camera watched by many.
 * Driven over IPC by bench/video.ts.
 */
import http from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import { LatencyHistogram } from '../src/main/metrics/histogram'
import { MultipartJpegParser, boundaryOf } from '../src/main/video/multipart-parser'
import { readCaptureTime } from '../src/main/video/jpeg'
import { SimCameraServer, SimPushCamera, sharedSimFrames } from '../src/main/video/sim'

export interface LoadPlan {
  stationUrl: string
  deviceKey: string
  guardToken: string
  cameraIds: number[]
  fps: number
  fullViewers: number
  stalledViewers: number
  push: 'http' | 'ws'
  warmupMs: number
  measureMs: number
}

export interface LoadResult {
  sentInWindow: number
  /** Per full-rate viewer: frames captured in the window it received / frames sent in the window. */
  delivery: { min: number; avg: number; viewers: number }
  latency: { count: number; p50: number; p95: number; p99: number; max: number }
  pushSkipped: number
  pushFailed: number
  stalledReconnects: number
  /** The load generator's own CPU (% of one core) and event-loop delay p99 during the window. */
  generator: { cpuPercent: number; loopDelayP99Ms: number }
}

const now = () => performance.timeOrigin + performance.now()

interface Viewer {
  received: number
  close(): void
}

function wsViewer(url: string, token: string, onFrame: (f: Buffer) => void): Viewer {
  const v = { received: 0, close: () => ws.terminate() }
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false })
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) onFrame(data)
  })
  ws.on('error', () => {})
  return v
}

function mjpegViewer(
  url: string,
  token: string,
  onFrame: ((f: Buffer) => void) | null,
  onClose?: () => void,
): Viewer {
  const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
    if (!onFrame) {
      // Stalled: a frozen tab that never reads.
      res.pause()
      res.socket.pause()
    } else {
      const parser = new MultipartJpegParser(
        boundaryOf(res.headers['content-type']) ?? 'x',
        8 * 1024 * 1024,
        {
          frame: onFrame,
          problem: () => {},
        },
      )
      res.on('data', (c: Buffer) => parser.push(c))
    }
    res.on('close', () => onClose?.())
  })
  req.on('error', () => onClose?.())
  return { received: 0, close: () => req.destroy() }
}

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const frames = sharedSimFrames()
  const wsBase = plan.stationUrl.replace(/^http/, 'ws')
  const hist = new LatencyHistogram()
  let windowStart = Infinity
  let windowEnd = Infinity
  const inWindow = (t: number) => t >= windowStart && t < windowEnd
  const viewers: (Viewer & { cameraId: number })[] = []
  const sentBy = new Map<number, number>(plan.cameraIds.map((id) => [id, 0]))
  const stalled: Viewer[] = []
  let stalledReconnects = 0
  let closing = false

  for (const id of plan.cameraIds) {
    for (let i = 0; i < plan.fullViewers; i++) {
      const counter = { received: 0 }
      const onFrame = (f: Buffer) => {
        const t = readCaptureTime(f)
        if (t === undefined || !inWindow(t)) return
        counter.received++
        hist.record(now() - t)
      }
      // Alternate transports: the UI's WebSocket and the <img>-style MJPEG.
      const v =
        i % 2 === 0
          ? wsViewer(`${wsBase}/ws/stream/${id}`, plan.guardToken, onFrame)
          : mjpegViewer(`${plan.stationUrl}/api/v1/stream/${id}/mjpeg`, plan.guardToken, onFrame)
      viewers.push(
        Object.assign(Object.defineProperty(v, 'received', { get: () => counter.received }), {
          cameraId: id,
        }),
      )
    }
    for (let i = 0; i < plan.stalledViewers; i++) {
      // A frozen tab that never reads; it is replaced every 45 s, before the station's 60 s stall
      // timeout drops it (a paused socket would not even notice being dropped).
      const open = () => {
        const v = mjpegViewer(`${plan.stationUrl}/api/v1/stream/${id}/mjpeg`, plan.guardToken, null)
        stalled.push(v)
        const t = setTimeout(() => {
          if (closing) return
          v.close()
          stalled.splice(stalled.indexOf(v), 1)
          stalledReconnects++
          open()
        }, 45_000)
        t.unref()
      }
      open()
    }
  }
  await new Promise((r) => setTimeout(r, 500))

  // Count what each camera sends with a capture time inside the window (acknowledged sends only).
  const cams = plan.cameraIds.map(
    (id) =>
      new SimPushCamera({
        stationUrl: plan.stationUrl,
        cameraId: id,
        fps: plan.fps,
        transport: plan.push,
        deviceKey: plan.deviceKey,
        label: `CAM ${id}`,
        frames,
        onSent: (captureMs) => {
          if (inWindow(captureMs)) sentBy.set(id, sentBy.get(id)! + 1)
        },
      }),
  )
  await Promise.all(cams.map((c) => c.start()))
  await new Promise((r) => setTimeout(r, plan.warmupMs))
  windowStart = now()
  windowEnd = windowStart + plan.measureMs
  process.send?.({ event: 'window-start' })
  const cpu0 = process.cpuUsage()
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  await new Promise((r) => setTimeout(r, plan.measureMs))
  loop.disable()
  const cpu = process.cpuUsage(cpu0)
  process.send?.({ event: 'window-end' })
  // Let frames captured at the end of the window arrive.
  await new Promise((r) => setTimeout(r, 1000))
  closing = true
  for (const c of cams) c.stop()
  for (const v of [...viewers, ...stalled]) v.close()

  const sentInWindow = [...sentBy.values()].reduce((a, b) => a + b, 0)
  const ratios = viewers.map((v) => {
    const sent = sentBy.get(v.cameraId)!
    return sent ? v.received / sent : 0
  })
  const pushSkipped = cams.reduce((n, c) => n + c.stats.skipped, 0)
  const pushFailed = cams.reduce((n, c) => n + c.stats.failed, 0)
  return {
    sentInWindow,
    delivery: {
      min: Math.min(...ratios),
      avg: ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length),
      viewers: ratios.length,
    },
    latency: {
      count: hist.count,
      p50: hist.quantile(0.5),
      p95: hist.quantile(0.95),
      p99: hist.quantile(0.99),
      max: hist.maxMs,
    },
    pushSkipped,
    pushFailed,
    stalledReconnects,
    generator: {
      cpuPercent: ((cpu.user + cpu.system) / 1000 / plan.measureMs) * 100,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
    },
  }
}

/** Phase 2: an MJPEG camera served from this process, watched by `viewers` through the station. */
let pullCamera: SimCameraServer | undefined
const pullViewers: Viewer[] = []

async function startPullCamera(fps: number): Promise<string> {
  pullCamera = await new SimCameraServer({ fps, label: 'PULL' }).start()
  return `${pullCamera.url}/mjpeg`
}

async function watchPull(stationUrl: string, token: string, cameraId: number, viewers: number) {
  const counts = Array.from({ length: viewers }, () => 0)
  for (let i = 0; i < viewers; i++) {
    pullViewers.push(
      mjpegViewer(`${stationUrl}/api/v1/stream/${cameraId}/mjpeg`, token, () => {
        counts[i]!++
      }),
    )
  }
  await new Promise((r) => setTimeout(r, 3000))
  const result = {
    viewersReceiving: counts.filter((c) => c > 0).length,
    minFrames: Math.min(...counts),
    cameraConnections: pullCamera?.openConnections ?? 0,
    cameraTotalConnections: pullCamera?.totalConnections ?? 0,
  }
  for (const v of pullViewers.splice(0)) v.close()
  await pullCamera?.stop()
  return result
}

type Command =
  | { op: 'run'; plan: LoadPlan }
  | { op: 'pull-camera'; fps: number }
  | { op: 'watch-pull'; stationUrl: string; token: string; cameraId: number; viewers: number }

process.on('message', (msg: { id: number; cmd: Command }) => {
  const { id, cmd } = msg
  const work =
    cmd.op === 'run'
      ? runLoad(cmd.plan)
      : cmd.op === 'pull-camera'
        ? startPullCamera(cmd.fps)
        : watchPull(cmd.stationUrl, cmd.token, cmd.cameraId, cmd.viewers)
  work.then(
    (result) => process.send?.({ id, ok: true, result }),
    (err: unknown) =>
      process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  )
})
process.on('disconnect', () => process.exit(0))
