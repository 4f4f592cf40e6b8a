/**
 * The video-rtsp section: RTSP/H.264 cameras through the station (one ffmpeg remux per camera, fMP4 to
 * WebSocket viewers), with the station in its own process (bench/station-child.ts) so its CPU and its
 * ffmpeg children's are read from /proc, and the simulated cameras and viewers in another
 * (bench/rtsp/load.ts). 16 cameras of 1080p25 H.264 at about 4 Mbit/s (pre-encoded once, served as is),
 * each watched by 2 full-rate viewers and 1 stalled one: fragments received, CPU, RSS. Then the time from
 * opening a viewer to its first keyframe fragment (Node) and first presented frame (Chromium), camera
 * connected and camera idle, and glass-to-glass latency in Chromium through the renderer's MSE player,
 * read from the frame number burnt into the picture.
 */
import { median, sleep, type BenchContext } from '../setup'
import { num, verdict } from '../table'
import type { DeliveryResult, FirstFragment } from '../rtsp/load'
import { cpuBetween } from '../rtsp/proc'
import { cpuWindow, startRtspRig, type RtspRig } from '../rtsp/rig'
import { openBenchPage, type BenchPage } from '../rtsp/browser'

const CAMERAS = 16
const GOAL = {
  delivery: 0.995,
  cpuPercent: 40,
  firstMs: 1000,
  p50Ms: 250,
  p95Ms: 400,
  /** Flat: each of the station's RSS and ffmpeg's PSS grows less than this over the window... */
  rssGrowthMb: 20,
  /** ...and is not still growing after its first tenth. */
  rssMbPerMin: 4,
}

const mb = (bytes: number) => num(bytes / 1048576)
const signed = (megabytes: number) => `${megabytes >= 0 ? '+' : ''}${num(megabytes)} MB`

/** Nearest-rank quantile of unsorted values. */
function quantile(values: number[], q: number): number {
  if (!values.length) return NaN
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
}

/** Least-squares slope of (ms, MB) points, in MB per minute. */
function slopePerMinute(points: [number, number][]): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((a, p) => a + p[0], 0) / n
  const my = points.reduce((a, p) => a + p[1], 0) / n
  let up = 0
  let down = 0
  for (const [x, y] of points) {
    up += (x - mx) * (y - my)
    down += (x - mx) ** 2
  }
  return down ? (up / down) * 60_000 : 0
}

/**
 * Latency of each presented frame: its display time minus the latest emission of the same frame of the
 * file before it (the file loops every 10 s; latency is far below that).
 */
export function glassToGlass(
  samples: [number | null, number][],
  emissions: { index: number; wall: number }[],
): { latencies: number[]; unread: number; unmatched: number } {
  const byIndex = new Map<number, number[]>()
  for (const e of emissions) {
    const list = byIndex.get(e.index) ?? []
    list.push(e.wall)
    byIndex.set(e.index, list)
  }
  const latencies: number[] = []
  let unread = 0
  let unmatched = 0
  for (const [code, shown] of samples) {
    if (code === null) {
      unread++
      continue
    }
    const sent = (byIndex.get(code) ?? []).filter((w) => w <= shown).at(-1)
    if (sent === undefined) unmatched++
    else latencies.push(shown - sent)
  }
  return { latencies, unread, unmatched }
}

interface Plan {
  warmupMs: number
  windowMs: number
  cpuRounds: number
  firstRounds: number
  latencyRounds: number
  latencyRoundMs: number
}

async function timeRounds(rounds: number, one: () => Promise<number>, between: () => Promise<unknown>) {
  const out: number[] = []
  for (let i = 0; i < rounds; i++) {
    await between()
    out.push(await one())
  }
  return out
}

export async function videoRtspSection(ctx: BenchContext): Promise<void> {
  const plan: Plan = ctx.quick
    ? {
        warmupMs: 8000,
        windowMs: 20_000,
        cpuRounds: 4,
        firstRounds: 3,
        latencyRounds: 3,
        latencyRoundMs: 4000,
      }
    : {
        warmupMs: 15_000,
        windowMs: 300_000,
        cpuRounds: 10,
        firstRounds: 7,
        latencyRounds: 5,
        latencyRoundMs: 8000,
      }
  let rig: RtspRig | undefined
  let page: BenchPage | undefined
  try {
    rig = await startRtspRig({ cameras: CAMERAS, idleCameras: 1, namePrefix: 'Bench RTSP' })
    const { video, load, station, url, guardToken, loaded } = rig
    const idleCam = rig.idle[0]!
    const idlePath = idleCam.path
    ctx.log(
      `  ${CAMERAS} RTSP cameras ${video.width}x${video.height} ${video.fps} fps ~${video.bitrateKbps} kbit/s (${video.pattern}), ` +
        `2 full-rate + 1 stalled WebSocket viewers each; station pid ${station.pid}, load pid ${load.pid}; ` +
        `${plan.warmupMs / 1000} s warm-up, ${plan.windowMs / 1000} s measured`,
    )

    // 1. The load: fragments received, CPU, RSS.
    await load.call({
      op: 'watch',
      plan: { stationUrl: url, guardToken, cameras: loaded, fullViewers: 2, stalledViewers: 1 },
    })
    await sleep(plan.warmupMs)
    await load.call({ op: 'window-start' })
    const mem0 = await station.mem()
    const roundMs = plan.windowMs / plan.cpuRounds
    const { first, samples, rounds, total: totalCpu } = await cpuWindow(rig, plan.cpuRounds, roundMs)
    await load.call({ op: 'window-end' })
    const mem1 = await station.mem()
    const last = samples.at(-1)!
    const whole = cpuBetween(first, last)
    // Let the fragments of frames emitted at the end of the window arrive.
    await sleep(1500)
    const d = await load.call<DeliveryResult>({ op: 'delivery' })
    const ratios = d.viewers.map((v) => (v.emitted ? v.received / v.emitted : 0))
    const minRatio = Math.min(...ratios)
    const avgRatio = ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length)
    const cpuMedian = median(totalCpu)
    const settled = samples.filter((s) => s.at >= first.at + plan.windowMs / 10)
    const mainSlope = slopePerMinute(settled.map((s) => [s.at, s.mainRssMb]))
    const ffSlope = slopePerMinute(settled.map((s) => [s.at, s.childPssMb]))
    const setup = `${CAMERAS} cams 1080p25 ~4 Mbit/s, ${d.viewers.length} viewers + ${CAMERAS} stalled`
    ctx.rows.push(
      {
        figure: `RTSP: fragments received per full-rate viewer (${setup})`,
        station: `min ${num(minRatio * 100, 2)} %, avg ${num(avgRatio * 100, 2)} % of ${num(d.emittedInWindow / CAMERAS)} per camera`,
        baseline: '',
        ratio: '',
        goal: `≥ ${GOAL.delivery * 100} %`,
        result: verdict(minRatio >= GOAL.delivery && d.unmatched === 0),
      },
      {
        figure: `RTSP: station + its ${whole.children} ffmpeg CPU, median of ${rounds.length} rounds of ${num(roundMs / 1000)} s`,
        station: `${num(cpuMedian, 1)} % of one core (station ${num(median(rounds.map((r) => r.mainPercent)), 1)}, ffmpeg ${num(median(rounds.map((r) => r.childPercent)), 1)})`,
        baseline: '',
        ratio: '',
        goal: `≤ ${GOAL.cpuPercent} %`,
        result: verdict(cpuMedian <= GOAL.cpuPercent),
      },
      {
        figure: `RTSP: RSS over ${num(plan.windowMs / 1000)} s, start → end, max (slope after the first tenth)`,
        station:
          `station ${num(first.mainRssMb)} → ${num(last.mainRssMb)} MB (${signed(last.mainRssMb - first.mainRssMb)}), ` +
          `max ${num(Math.max(...samples.map((x) => x.mainRssMb)))} (${num(mainSlope, 2)} MB/min); ` +
          `ffmpeg total PSS ${num(first.childPssMb)} → ${num(last.childPssMb)} MB (${signed(last.childPssMb - first.childPssMb)}, ` +
          `${num(ffSlope, 2)} MB/min)`,
        baseline: '',
        ratio: '',
        goal: `flat (< ${GOAL.rssGrowthMb} MB, < ${GOAL.rssMbPerMin} MB/min)`,
        result: verdict(
          last.mainRssMb - first.mainRssMb < GOAL.rssGrowthMb &&
            last.childPssMb - first.childPssMb < GOAL.rssGrowthMb &&
            Math.abs(mainSlope) < GOAL.rssMbPerMin &&
            Math.abs(ffSlope) < GOAL.rssMbPerMin,
        ),
      },
      {
        figure: 'RTSP: camera emits a frame → WebSocket viewer (Node) has it, p50 / p95 (p99)',
        station: `${num(d.latency.p50, 1)} / ${num(d.latency.p95, 1)} ms (${num(d.latency.p99, 1)})`,
        baseline: '',
        ratio: '',
        goal: '',
        result: '',
      },
    )
    ctx.notes.push(
      `video-rtsp: ${num(d.emittedInWindow)} frames emitted in the window over ${CAMERAS} paths; viewers: ${d.unmatched} fragments not recognised, ` +
        `${d.duplicates} duplicates; RTSP clock jumps ${d.clockJumps}; stalled viewers replaced ${d.stalledReplaced} times; ` +
        `CPU per round (station + ffmpeg) ${totalCpu.map((c) => num(c, 1)).join(', ')} %; ffmpeg processes came or went: ${whole.churn}`,
      `video-rtsp: the load process (RTSP server + viewers, not counted) used ${num(d.generator.cpuPercent)} % of a core, event-loop delay p99 ` +
        `${num(d.generator.loopP99Ms, 1)} ms`,
      `video-rtsp: station memory start → end of the window: heap used ${mb(mem0.heapUsed)} → ${mb(mem1.heapUsed)} MB, ` +
        `heap total ${mb(mem0.heapTotal)} → ${mb(mem1.heapTotal)}, external ${mb(mem0.external)} → ${mb(mem1.external)}, ` +
        `array buffers ${mb(mem0.arrayBuffers)} → ${mb(mem1.arrayBuffers)} MB`,
    )

    // 2. Opening a viewer: first keyframe fragment, camera connected and camera idle (ffmpeg starts).
    const warm = await timeRounds(
      plan.firstRounds,
      async () => {
        const f = await load.call<FirstFragment>({
          op: 'first-fragment',
          stationUrl: url,
          token: guardToken,
          cameraId: loaded[0]!.id,
          path: loaded[0]!.path,
        })
        if (!f.keyframe) throw new Error('a viewer of a connected camera did not start at a keyframe')
        return f.ms
      },
      () => sleep(300),
    )
    const waitIdle = () => load.call({ op: 'idle', path: idlePath, timeoutMs: 15_000 })
    const coldKeyframes: boolean[] = []
    const cold = await timeRounds(
      plan.firstRounds,
      async () => {
        const f = await load.call<FirstFragment>({
          op: 'first-fragment',
          stationUrl: url,
          token: guardToken,
          cameraId: idleCam.id,
          path: idleCam.path,
        })
        coldKeyframes.push(f.keyframe)
        return f.ms
      },
      waitIdle,
    )
    const firstRow = (what: string, ms: number[], extra = '') => ({
      figure: `RTSP: open a viewer → ${what}, median of ${ms.length}`,
      station: `${num(median(ms))} ms (${ms.map((m) => num(m)).join(', ')})${extra}`,
      baseline: '',
      ratio: '',
      goal: `≤ ${GOAL.firstMs} ms`,
      result: verdict(median(ms) <= GOAL.firstMs),
    })
    ctx.rows.push(
      firstRow('first keyframe fragment (Node), camera connected', warm),
      firstRow(
        'first keyframe fragment (Node), camera idle',
        cold,
        coldKeyframes.every(Boolean) ? '' : ' (not all at a keyframe)',
      ),
    )

    // 3. Chromium: first presented frame, then glass-to-glass latency (the load still running).
    page = await openBenchPage({ stationUrl: url, guardToken, width: video.width, height: video.height })
    const p = page
    const warmFrame = await timeRounds(
      plan.firstRounds,
      () => p.firstFrameMs(loaded[0]!.id),
      () => sleep(300),
    )
    const coldFrame = await timeRounds(plan.firstRounds, () => p.firstFrameMs(idleCam.id), waitIdle)
    ctx.rows.push(
      firstRow('first frame presented in Chromium (MSE), camera connected', warmFrame),
      firstRow('first frame presented in Chromium (MSE), camera idle', coldFrame),
    )

    const latencyCam = loaded[0]!
    await p.startLatency(latencyCam.id)
    // Settle: the player reaches the live edge.
    await sleep(2000)
    await p.takeSamples()
    const perRound: { p50: number; p95: number; n: number; unread: number; unmatched: number }[] = []
    for (let r = 0; r < plan.latencyRounds; r++) {
      await sleep(plan.latencyRoundMs)
      const s = await p.takeSamples()
      if (!s.length) throw new Error('Chromium presented no frame')
      const emissions = await load.call<{ index: number; wall: number }[]>({
        op: 'emissions',
        path: latencyCam.path,
        from: s[0]![1] - 10_000,
        to: s.at(-1)![1],
      })
      const g = glassToGlass(s, emissions)
      perRound.push({
        p50: quantile(g.latencies, 0.5),
        p95: quantile(g.latencies, 0.95),
        n: g.latencies.length,
        unread: g.unread,
        unmatched: g.unmatched,
      })
    }
    const stats = await p.stats()
    await p.stopLatency()
    const p50 = median(perRound.map((r) => r.p50))
    const p95 = median(perRound.map((r) => r.p95))
    const frames = perRound.reduce((n, r) => n + r.n, 0)
    const fps = frames / ((plan.latencyRounds * plan.latencyRoundMs) / 1000)
    const g2g = `Chromium MSE, 1080p25, median of ${perRound.length} rounds of ${num(plan.latencyRoundMs / 1000)} s`
    ctx.rows.push(
      {
        figure: `RTSP: glass-to-glass latency p50 (${g2g})`,
        station: `${num(p50)} ms (${perRound.map((r) => num(r.p50)).join(', ')})`,
        baseline: '',
        ratio: '',
        goal: `≤ ${GOAL.p50Ms} ms`,
        result: verdict(p50 <= GOAL.p50Ms),
      },
      {
        figure: `RTSP: glass-to-glass latency p95 (${g2g})`,
        station: `${num(p95)} ms (${perRound.map((r) => num(r.p95)).join(', ')})`,
        baseline: '',
        ratio: '',
        goal: `≤ ${GOAL.p95Ms} ms`,
        result: verdict(p95 <= GOAL.p95Ms),
      },
    )
    ctx.notes.push(
      `video-rtsp: Chromium presented ${num(frames)} frames with a readable code (${num(fps, 1)} per second), ` +
        `${perRound.reduce((n, r) => n + r.unread, 0)} unreadable, ${perRound.reduce((n, r) => n + r.unmatched, 0)} unmatched; ` +
        `player: ${stats ? `${stats.framesDropped} fragments dropped, ${stats.jumps} jumps, ${stats.decodedFrames ?? 'n/a'} decoded` : 'n/a'}; ` +
        `latency measured with the ${CAMERAS}-camera load still running`,
    )
  } finally {
    await page?.close().catch(() => {})
    await rig?.close(ctx.notes, 'video-rtsp')
  }
}
