/**
 * The recording section: 16 RTSP cameras of 1080p25 H.264 (about 4 Mbit/s, bench/rtsp/rig.ts), each
 * live-viewed by one WebSocket viewer, first without recording, then recorded continuously (the camera
 * API's `recording: { mode: 'continuous' }`), in the same station process and the same run. Per window:
 * CPU of the station and its ffmpeg children (from /proc), fragments the viewers received. Then what the
 * recorder kept: the frames of the indexed segments (the `frames` column, read from the station's
 * database) against the frames the RTSP server emitted over the same span, and the time from asking for
 * playback of a moment back in the recording (GET the segments list from `from`, then the first segment)
 * to its bytes arriving. Linux only (/proc).
 */
import Database from 'better-sqlite3'
import { databasePath } from '../../src/main/database/open'
import { stationApi } from '../../src/main/video/sim/station-api'
import { median, sleep, type BenchContext } from '../setup'
import { na, num, verdict } from '../table'
import type { DeliveryResult } from '../rtsp/load'
import { cpuWindow, startRtspRig, type CpuWindow, type RtspRig } from '../rtsp/rig'

const CAMERAS = 16
const SEGMENT_S = 10
const GOAL = {
  /** Station + ffmpeg, % of one core, recording and live view together. */
  cpuPercent: 50,
  /** What recording adds, % of one core per camera. */
  addedPerCamera: 0.5,
  /** Recorded frames against emitted: a frame either side of the span (its edges are estimates). */
  frameSlack: 1,
  seekMs: 1000,
}

interface Plan {
  warmupMs: number
  rounds: number
  roundMs: number
  /** How far back playback is asked for. */
  seekBackMs: number
}

interface SegmentRow {
  startMs: number
  endMs: number
  frames: number
  keyframes: number
}

/** The viewers' fragments against the emitted frames, over the load's window. */
function delivery(d: DeliveryResult) {
  const ratios = d.viewers.map((v) => (v.emitted ? v.received / v.emitted : 0))
  const lost = d.viewers.reduce((n, v) => n + Math.max(0, v.emitted - v.received), 0)
  return { min: Math.min(...ratios), lost, emitted: d.emittedInWindow, unmatched: d.unmatched }
}

async function measureWindow(rig: RtspRig, plan: Plan): Promise<{ cpu: CpuWindow; d: DeliveryResult }> {
  await rig.load.call({ op: 'window-start' })
  const cpu = await cpuWindow(rig, plan.rounds, plan.roundMs)
  await rig.load.call({ op: 'window-end' })
  // Let the fragments of frames emitted at the end of the window arrive.
  await sleep(1500)
  return { cpu, d: await rig.load.call<DeliveryResult>({ op: 'delivery' }) }
}

/** Times one seek: the segments list from `from`, then the first segment's first bytes and all of it. */
async function seek(rig: RtspRig, cameraId: number, from: number) {
  const auth = { authorization: `Bearer ${rig.guardToken}` }
  const t0 = performance.now()
  const list = await fetch(
    `${rig.url}/api/v1/recordings/segments?cameraId=${cameraId}&from=${from}&to=${from + 60_000}&limit=1`,
    { headers: auth },
  )
  if (!list.ok) throw new Error(`segments list: ${list.status} ${await list.text()}`)
  const segs = ((await list.json()) as { data: { url: string; start: number; end: number }[] }).data
  const first = segs[0]
  if (!first) throw new Error(`no segment of camera ${cameraId} at ${new Date(from).toISOString()}`)
  const listed = performance.now()
  const res = await fetch(new URL(first.url, rig.url), { headers: auth })
  if (!res.ok || !res.body) throw new Error(`segment: ${res.status}`)
  const reader = res.body.getReader()
  let bytes = 0
  let firstBytes = NaN
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (!bytes) firstBytes = performance.now() - t0
    bytes += value.byteLength
  }
  return { listMs: listed - t0, firstBytesMs: firstBytes, wholeMs: performance.now() - t0, bytes, first }
}

export async function recordingSection(ctx: BenchContext): Promise<void> {
  if (process.platform !== 'linux') {
    ctx.rows.push(na('Recording: 16 RTSP cameras', 'report', 'Linux only (/proc)'))
    return
  }
  const plan: Plan = ctx.quick
    ? { warmupMs: 8000, rounds: 4, roundMs: 6000, seekBackMs: 20_000 }
    : { warmupMs: 15_000, rounds: 5, roundMs: 30_000, seekBackMs: 120_000 }
  let rig: RtspRig | undefined
  try {
    rig = await startRtspRig({
      cameras: CAMERAS,
      namePrefix: 'Bench REC',
      env: { STATION_RECORDING_SEGMENT_S: String(SEGMENT_S) },
    })
    const { video, load, station, url, loaded } = rig
    ctx.log(
      `  ${CAMERAS} RTSP cameras ${video.width}x${video.height} ${video.fps} fps ~${video.bitrateKbps} kbit/s, 1 WebSocket ` +
        `viewer each; station pid ${station.pid}, load pid ${load.pid}; ${plan.rounds} rounds of ${plan.roundMs / 1000} s ` +
        `without recording, then with`,
    )
    await load.call({
      op: 'watch',
      plan: {
        stationUrl: url,
        guardToken: rig.guardToken,
        cameras: loaded,
        fullViewers: 1,
        stalledViewers: 0,
      },
    })
    await sleep(plan.warmupMs)

    // 1. Live view alone.
    const live = await measureWindow(rig, plan)
    ctx.log(`  live view only: ${live.cpu.total.map((c) => num(c, 1)).join(', ')} % per round`)

    // 2. The same, recorded continuously.
    const recordFrom = Date.now()
    for (const cam of loaded)
      await stationApi(url, rig.adminToken, 'PUT', `/api/cameras/${cam.id}`, {
        recording: { mode: 'continuous' },
      })
    // Past the first segment boundary of every camera (its first segment holds the start-up burst).
    await sleep(Math.max(plan.warmupMs, SEGMENT_S * 1000 + 2000))
    const windowFrom = Date.now()
    const rec = await measureWindow(rig, plan)
    const windowTo = Date.now()
    ctx.log(`  live view + recording: ${rec.cpu.total.map((c) => num(c, 1)).join(', ')} % per round`)

    // 3. What was recorded: every segment that started in the window, once indexed.
    await sleep(SEGMENT_S * 1000 + 2500)
    const db = new Database(databasePath(rig.dataDir), { readonly: true, fileMustExist: true })
    const perCamera: { recorded: number; emitted: number; gapMs: number; segments: number }[] = []
    try {
      const rows = db.prepare<[number, number, number], SegmentRow>(
        `SELECT start_ms AS startMs, end_ms AS endMs, frames, keyframes FROM recording_segments
          WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms`,
      )
      for (const cam of loaded) {
        const segs = rows.all(cam.id, windowFrom, windowTo)
        if (!segs.length) {
          perCamera.push({ recorded: 0, emitted: NaN, gapMs: NaN, segments: 0 })
          continue
        }
        const from = segs[0]!.startMs
        const to = segs.at(-1)!.endMs
        let gapMs = 0
        for (let i = 1; i < segs.length; i++) gapMs += Math.abs(segs[i]!.startMs - segs[i - 1]!.endMs)
        // A segment's times are its frames' arrival at the station; emissions are a little earlier:
        // the span is moved half a frame back, so each edge frame falls on its own side.
        const half = 500 / video.fps
        const emitted = await load.call<number>({
          op: 'emitted',
          path: cam.path,
          from: from - half,
          to: to - half,
        })
        perCamera.push({
          recorded: segs.reduce((n, s) => n + s.frames, 0),
          emitted,
          gapMs,
          segments: segs.length,
        })
      }
    } finally {
      db.close()
    }

    // 4. Seeking back: list from a moment back, fetch the first segment.
    const seekAt = Math.max(recordFrom + SEGMENT_S * 1000, Date.now() - plan.seekBackMs)
    const seeks = []
    for (const cam of loaded) seeks.push(await seek(rig, cam.id, seekAt))
    const backS = (Date.now() - seekAt) / 1000

    const cpuLive = median(live.cpu.total)
    const cpuRec = median(rec.cpu.total)
    const added = (cpuRec - cpuLive) / CAMERAS
    const ffLive = median(live.cpu.rounds.map((r) => r.childPercent))
    const ffRec = median(rec.cpu.rounds.map((r) => r.childPercent))
    const stLive = median(live.cpu.rounds.map((r) => r.mainPercent))
    const stRec = median(rec.cpu.rounds.map((r) => r.mainPercent))
    const dl = delivery(live.d)
    const dr = delivery(rec.d)
    const recorded = perCamera.reduce((n, c) => n + c.recorded, 0)
    const emitted = perCamera.reduce((n, c) => n + c.emitted, 0)
    const worst = Math.max(...perCamera.map((c) => Math.abs(c.recorded - c.emitted)))
    const segments = perCamera.reduce((n, c) => n + c.segments, 0)
    const gaps = perCamera.reduce((n, c) => n + c.gapMs, 0)
    const firstBytes = seeks.map((s) => s.firstBytesMs)
    const whole = seeks.map((s) => s.wholeMs)
    const setup = `${CAMERAS} cams 1080p25 ~4 Mbit/s, 1 viewer each`
    const rounds = `median of ${plan.rounds} rounds of ${num(plan.roundMs / 1000)} s`
    ctx.rows.push(
      {
        figure: `Recording: station + ffmpeg CPU, recording continuously while live-viewed (${setup}; ${rounds})`,
        station: `${num(cpuRec, 1)} % of one core (station ${num(stRec, 1)}, ffmpeg ${num(ffRec, 1)})`,
        baseline: `live view only ${num(cpuLive, 1)} % (station ${num(stLive, 1)}, ffmpeg ${num(ffLive, 1)})`,
        ratio: cpuLive > 0 ? `${num(cpuRec / cpuLive, 2)}x` : '',
        goal: `≤ ${GOAL.cpuPercent} %`,
        result: verdict(cpuRec <= GOAL.cpuPercent),
      },
      {
        figure: 'Recording: CPU added per recorded camera (recording − live view only) / 16',
        station: `${added >= 0 ? '+' : ''}${num(added, 2)} % of one core`,
        baseline: '',
        ratio: '',
        goal: `≤ ${GOAL.addedPerCamera} %`,
        result: verdict(added <= GOAL.addedPerCamera),
      },
      {
        figure: `Recording: frames in the indexed segments vs frames the RTSP server emitted over their span (${segments} segments started in the window)`,
        station: `${num(recorded)} of ${num(emitted)} (worst camera off by ${worst}); gaps between segments ${num(gaps)} ms`,
        baseline: '',
        ratio: '',
        goal: `0 dropped (±${GOAL.frameSlack} frame at the edges)`,
        result: verdict(worst <= GOAL.frameSlack && gaps === 0 && perCamera.every((c) => c.segments > 0)),
      },
      {
        figure: 'Recording: fragments received by the live viewers, while recording (without)',
        station: `min ${num(dr.min * 100, 2)} %, ${dr.lost} missing of ${num(dr.emitted)}`,
        baseline: `min ${num(dl.min * 100, 2)} %, ${dl.lost} missing of ${num(dl.emitted)}`,
        ratio: '',
        goal: '0 missing',
        result: verdict(dr.lost === 0 && dr.unmatched === 0),
      },
      {
        figure: `Recording: seek ${num(backS)} s back (GET segments from \`from\`, then the first segment) → first bytes, median (max) of ${seeks.length} cameras`,
        station: `${num(median(firstBytes))} ms (${num(Math.max(...firstBytes))}); whole segment (~${num(median(seeks.map((s) => s.bytes)) / 1048576, 1)} MB) ${num(median(whole))} ms (${num(Math.max(...whole))})`,
        baseline: `list alone ${num(median(seeks.map((s) => s.listMs)))} ms`,
        ratio: '',
        goal: `≤ ${GOAL.seekMs} ms`,
        result: verdict(median(firstBytes) <= GOAL.seekMs && Math.max(...firstBytes) <= GOAL.seekMs),
      },
    )
    ctx.notes.push(
      `recording: CPU per round, live only ${live.cpu.total.map((c) => num(c, 1)).join(', ')} %, recording ` +
        `${rec.cpu.total.map((c) => num(c, 1)).join(', ')} %; ffmpeg processes came or went: ` +
        `${live.cpu.rounds.reduce((n, r) => n + r.churn, 0)} / ${rec.cpu.rounds.reduce((n, r) => n + r.churn, 0)}; ` +
        `per camera recorded − emitted: ${perCamera.map((c) => c.recorded - c.emitted).join(' ')}`,
      `recording: the load process (RTSP server + viewers, not counted) used ${num(rec.d.generator.cpuPercent)} % of a core ` +
        `while recording; the seek reads a small index (this run's segments), not 30 days of them (bench retention has 1M rows)`,
    )
  } finally {
    await rig?.close(ctx.notes, 'recording')
  }
}
