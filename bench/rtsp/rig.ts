/**
 * The machinery the RTSP benchmark sections share (video-rtsp, recording): the load process over IPC
 * (bench/rtsp/load.ts: the simulated RTSP cameras and the viewers), a station in its own process
 * (bench/station-child.ts) with a guard and one camera per simulated path, CPU windows of the station and
 * its ffmpeg children read from /proc, and a teardown that leaves no ffmpeg behind.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FULL_HD_VIDEO, makeTestVideo, type TestVideo } from '../../src/main/video/sim/test-video'
import { signInAsAdmin, stationApi, type ApiCamera } from '../../src/main/video/sim/station-api'
import { ADMIN_PASSWORD, sleep, stationEnv } from '../setup'
import { IpcChild } from '../ipc-child'
import { startChildStation, type ChildStation } from '../station-child'
import type { RtspLoadCommand } from './load'
import { childrenOf, cpuBetween, identity, sampleTree, type TreeCpu, type TreeSample } from './proc'

/** The load process, over IPC. */
export class RtspLoad {
  private constructor(private readonly ipc: IpcChild<RtspLoadCommand>) {}

  static start(): RtspLoad {
    return new RtspLoad(IpcChild.fork<RtspLoadCommand>(new URL('./load.ts', import.meta.url), 'rtsp load'))
  }

  private get child() {
    return this.ipc.child
  }

  get pid(): number {
    return this.child.pid ?? 0
  }

  call<T>(cmd: RtspLoadCommand): Promise<T> {
    return this.ipc.call<T>(cmd)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()))
    await Promise.race([this.call({ op: 'stop' }).catch(() => {}), sleep(5000)])
    this.child.disconnect()
    await Promise.race([exited, sleep(5000)])
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

export interface RigOptions {
  /** Cameras kept connected (the load). */
  cameras: number
  /** Cameras more, connected only while watched (cold starts). */
  idleCameras?: number
  /** Camera names: `${namePrefix} 01`... */
  namePrefix: string
  /** The station's environment beyond the benchmark's defaults. */
  env?: Record<string, string>
  /** Extra fields of every camera's POST body (e.g. `recording`). */
  cameraBody?: Record<string, unknown>
}

export interface RtspRig {
  video: TestVideo
  load: RtspLoad
  station: ChildStation
  dataDir: string
  url: string
  adminToken: string
  guardToken: string
  /** The connected cameras, then the idle ones. */
  loaded: { id: number; path: string }[]
  idle: { id: number; path: string }[]
  /** A /proc reading of the station and its ffmpeg children (every ffmpeg seen is remembered). */
  sample(): TreeSample
  /** Ends the load, the station and any ffmpeg that outlived it (said in `notes`). */
  close(notes: string[], label: string): Promise<void>
}

export async function startRtspRig(opts: RigOptions): Promise<RtspRig> {
  const idleCount = opts.idleCameras ?? 0
  const video = await makeTestVideo({ ...FULL_HD_VIDEO, pattern: 'frame-code' })
  const paths = Array.from({ length: opts.cameras + idleCount }, (_, i) => `/cam${i + 1}/main`)
  const dataDir = mkdtempSync(join(tmpdir(), 'station-bench-rtsp-'))
  const load = RtspLoad.start()
  /** Every ffmpeg the station ran, with its identity (so a reused pid is never touched). */
  const ffmpegSeen = new Map<number, string>()
  let station: ChildStation | undefined
  const close = async (notes: string[], label: string) => {
    await load.stop()
    const pid = station?.pid
    if (pid)
      for (const k of childrenOf(pid, 'ffmpeg')) if (!ffmpegSeen.has(k)) ffmpegSeen.set(k, identity(k) ?? '')
    await station?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    // No ffmpeg may outlive the station.
    await sleep(500)
    const left = [...ffmpegSeen].filter(([k, id]) => id !== '' && identity(k) === id).map(([k]) => k)
    if (left.length) {
      notes.push(`${label}: ${left.length} ffmpeg processes outlived the station; killed`)
      for (const k of left) process.kill(k, 'SIGKILL')
    }
  }
  try {
    const { port } = await load.call<{ port: number }>({
      op: 'serve',
      plan: { file: video.file, fps: video.fps, width: video.width, height: video.height, paths },
    })
    // An idle camera is let go 1 s after its last viewer (5 s by default), to time cold starts quickly.
    station = await startChildStation(
      stationEnv(dataDir, { STATION_VIDEO_IDLE_LINGER_MS: '1000', ...opts.env }),
    )
    const url = station.url
    const admin = await signInAsAdmin(url, ADMIN_PASSWORD)
    const guard = { username: 'bench-rtsp-guard', password: 'bench-rtsp-guard-password' }
    await stationApi(url, admin, 'POST', '/api/users', { ...guard, role: 'guard' })
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(guard),
    })
    const guardToken = ((await login.json()) as { data: { token: string } }).data.token
    const cams: { id: number; path: string }[] = []
    for (const [i, path] of paths.entries()) {
      const cam = await stationApi<ApiCamera>(url, admin, 'POST', '/api/cameras', {
        name: `${opts.namePrefix} ${String(i + 1).padStart(2, '0')}`,
        kind: 'rtsp',
        url: `rtsp://127.0.0.1:${port}${path}`,
        fps: video.fps,
        stayConnected: i < opts.cameras,
        allowLocal: true,
        ...opts.cameraBody,
      })
      cams.push({ id: cam.id, path })
    }
    const st = station
    return {
      video,
      load,
      station: st,
      dataDir,
      url,
      adminToken: admin,
      guardToken,
      loaded: cams.slice(0, opts.cameras),
      idle: cams.slice(opts.cameras),
      sample() {
        const s = sampleTree(st.pid)
        for (const k of s.childCpuS.keys()) if (!ffmpegSeen.has(k)) ffmpegSeen.set(k, identity(k) ?? '')
        return s
      },
      close,
    }
  } catch (err) {
    await close([], 'rig')
    throw err
  }
}

export interface CpuWindow {
  first: TreeSample
  /** Every reading: each round's end, and every 5 s within (RSS). */
  samples: TreeSample[]
  rounds: TreeCpu[]
  /** Station + ffmpeg, % of one core, per round. */
  total: number[]
}

/** `rounds` rounds of `roundMs`: CPU per round, a reading at least every 5 s. */
export async function cpuWindow(rig: RtspRig, rounds: number, roundMs: number): Promise<CpuWindow> {
  const samples: TreeSample[] = []
  const sample = () => {
    const s = rig.sample()
    samples.push(s)
    return s
  }
  const first = sample()
  const out: TreeCpu[] = []
  let prev = first
  for (let r = 0; r < rounds; r++) {
    const end = performance.now() + roundMs
    while (performance.now() < end - 5000) {
      await sleep(5000)
      sample()
    }
    await sleep(Math.max(0, end - performance.now()))
    const s = sample()
    out.push(cpuBetween(prev, s))
    prev = s
  }
  return { first, samples, rounds: out, total: out.map((r) => r.mainPercent + r.childPercent) }
}
