/**
 * Motion detection's CPU per camera: a 1080p25 RTSP camera (4 Mbit/s) with a 640x360 sub stream from the
 * simulator, its sub stream connected (the station's remux ffmpeg) with and without a detector. Per
 * variant: the decoder ffmpeg's CPU (from /proc), the station's comparison time (the detector's own
 * figure), and the station process's CPU over the same window minus the window without a detector (the
 * delivery of units to the detector, the events). Variants: 3 fps and 5 fps decoding every frame, key
 * frames only, and a camera without a sub stream (its 1080p main stream decoded, every frame and key frames
 * only). The default variant runs through the API (PUT /api/cameras/:id/motion), the others as detectors
 * attached to the same channel. Linux only (/proc).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolveFfmpeg } from '../../src/main/video/ffmpeg/resolve-ffmpeg'
import { MotionDetector } from '../../src/main/motion/motion-detector'
import type { Consumer } from '../../src/main/video/pipeline/consumer'
import { RtspSimServer } from '../../src/main/video/sim/rtsp-server'
import { rtspCameraVideos } from '../../src/main/video/sim/rtsp-cameras'
import { FULL_HD_VIDEO } from '../../src/main/video/sim/test-video'
import { MOTION_DEFAULTS } from '../../src/shared/schemas/motion'
import { adminToken, sleep, startStation, type BenchContext, type BenchStation } from '../setup'
import { na } from '../table'

const TICK_MS = 1000 / 100

/** CPU ms (user + system) of a process, from /proc; null when it is gone. */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) * TICK_MS
  } catch {
    return null
  }
}

/** The ffmpeg children of this process. */
function ffmpegChildren(): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (comm === 'ffmpeg' && ppid === process.pid) pids.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

interface Window {
  /** % of one core. */
  stationPct: number
  childrenPct: Map<number, number>
}

/** CPU of the station process and of each ffmpeg child over `ms`. */
async function measure(ms: number): Promise<Window> {
  const pids = ffmpegChildren()
  const start = new Map(pids.map((p) => [p, procCpuMs(p)]))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await sleep(ms)
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const childrenPct = new Map<number, number>()
  for (const [pid, before] of start) {
    const after = procCpuMs(pid)
    if (before !== null && after !== null) childrenPct.set(pid, ((after - before) / wall) * 100)
  }
  return { stationPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, childrenPct }
}

/** Keeps a stream of the camera connected without a detector (what a grid tile watching it does). */
function holdStream(bench: BenchStation, cameraId: number): () => void {
  const keep: Consumer = { role: 'viewer', deliver: (_item, done) => done() }
  return bench.station.app.video.channel(cameraId)!.attach(keep, { stream: 'sub' })
}

interface Variant {
  name: string
  camera: 'sub' | 'main-only'
  fps: number
  keyframes: 'never' | 'always'
  api?: boolean
}

export async function motionSection(ctx: BenchContext): Promise<void> {
  if (process.platform !== 'linux') {
    ctx.rows.push(na('Motion detection CPU per camera', 'report', 'Linux only (/proc)'))
    return
  }
  const ms = ctx.quick ? 8000 : 20_000
  const warm = ctx.quick ? 3000 : 5000
  const videos = await rtspCameraVideos({ ...FULL_HD_VIDEO }, {})
  const stream = (path: string, v: typeof videos.main) => ({
    path,
    file: v.file,
    fps: v.fps,
    width: v.width,
    height: v.height,
  })
  const rtsp = await new RtspSimServer({
    streams: [stream('/cam/main', videos.main), stream('/cam/sub', videos.sub!)],
  }).start()
  const bench = await startStation()
  const { app } = bench.station
  const ffmpeg = await resolveFfmpeg(app.config.video, {})
  if (!('path' in ffmpeg)) {
    ctx.rows.push(na('Motion detection CPU per camera', 'report', ffmpeg.missing))
    await bench.close()
    await rtsp.stop()
    return
  }
  const token = await adminToken(app)
  const create = async (name: string, sub: boolean) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        name,
        kind: 'rtsp',
        url: rtsp.url('/cam/main'),
        ...(sub ? { subUrl: rtsp.url('/cam/sub') } : {}),
        allowLocal: true,
      },
    })
    return (res.json() as { data: { id: number } }).data.id
  }
  const withSub = await create('Motion bench (sub)', true)
  const mainOnly = await create('Motion bench (main only)', false)
  const variants: Variant[] = [
    {
      name: '3 fps, every frame decoded (default, via the API)',
      camera: 'sub',
      fps: 3,
      keyframes: 'never',
      api: true,
    },
    { name: '5 fps, every frame decoded', camera: 'sub', fps: 5, keyframes: 'never' },
    { name: 'key frames only (1/s here)', camera: 'sub', fps: 3, keyframes: 'always' },
    {
      name: 'no sub stream: 1080p main, 3 fps, every frame',
      camera: 'main-only',
      fps: 3,
      keyframes: 'never',
    },
    { name: 'no sub stream: 1080p main, key frames only', camera: 'main-only', fps: 3, keyframes: 'always' },
  ]
  try {
    for (const id of [withSub, mainOnly]) {
      const release = holdStream(bench, id)
      await sleep(warm)
      const base = await measure(ms)
      const remux = [...base.childrenPct.values()].reduce((a, b) => a + b, 0)
      ctx.log(
        `  camera ${id === withSub ? '1080p + 640x360 sub, sub' : '1080p only, main'} stream connected, no detector: station ${base.stationPct.toFixed(1)}%, remux ffmpeg ${remux.toFixed(1)}% of a core`,
      )
      for (const v of variants.filter((x) => (x.camera === 'sub') === (id === withSub))) {
        let detector: MotionDetector | undefined
        let stats: () => { compareMs: number; decoderPid: number | null; frames: number; mode: string }
        if (v.api) {
          await app.inject({
            method: 'PUT',
            url: `/api/cameras/${id}/motion`,
            headers: { authorization: `Bearer ${token}` },
            payload: { enabled: true, fps: v.fps },
          })
          stats = () => app.motion.runner.stats().cameras.find((c) => c.cameraId === id)!
        } else {
          const d = new MotionDetector({
            cameraId: id,
            channel: app.video.channel(id)!,
            ffmpegPath: ffmpeg.path,
            settings: { ...MOTION_DEFAULTS, fps: v.fps },
            keyframes: v.keyframes,
            log: { warn: () => {}, info: () => {} },
            motion: () => {},
            ended: () => {},
          })
          d.start()
          detector = d
          stats = () => d.stats()
        }
        await sleep(warm)
        const before = stats()
        const w = await measure(ms)
        const after = stats()
        const decoderPct = after.decoderPid !== null ? (w.childrenPct.get(after.decoderPid) ?? NaN) : NaN
        const comparePct = ((after.compareMs - before.compareMs) / ms) * 100
        const stationExtra = w.stationPct - base.stationPct
        const frames = after.frames - before.frames
        ctx.log(
          `  ${v.name}: decoder ${decoderPct.toFixed(2)}%, comparison ${comparePct.toFixed(3)}% (${frames} frames), station process ${stationExtra >= 0 ? '+' : ''}${stationExtra.toFixed(1)}% vs no detector; mode ${after.mode}`,
        )
        ctx.rows.push({
          figure: `Motion CPU per camera: ${v.name}`,
          station: `${(decoderPct + comparePct).toFixed(1)}% of a core`,
          baseline: `decoder ${decoderPct.toFixed(1)}% + compare ${comparePct.toFixed(2)}%`,
          ratio: `${(frames / (ms / 1000)).toFixed(1)} frames/s`,
          goal: 'report',
          result: '',
        })
        if (v.api) {
          await app.inject({
            method: 'PUT',
            url: `/api/cameras/${id}/motion`,
            headers: { authorization: `Bearer ${token}` },
            payload: { enabled: false },
          })
        }
        await detector?.stop()
        await sleep(500)
      }
      release()
    }
    ctx.notes.push(
      `motion: load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' ',
        )} at the end; the station process figure also holds the simulator's RTSP sending, the same with and without a detector`,
    )
  } finally {
    await bench.close()
    await rtsp.stop()
  }
}
