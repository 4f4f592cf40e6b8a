/**
 * The RTSP part of `npm run simulate -- --rtsp-cameras 4`: encodes (or finds cached) the test videos,
 * starts the RTSP server on 127.0.0.1, registers the cameras through the admin API, and reports progress.
 */
import type { RtspAuthScheme } from './rtsp-auth'
import { startRtspCameras, type RtspCameras } from './rtsp-cameras'
import { signInAsAdmin } from './station-api'
import type { TestVideo, TestVideoPattern } from './test-video'

export interface RtspCameraOptions {
  /** Simulated RTSP cameras (0: none). */
  count: number
  port: number
  auth: RtspAuthScheme
  username: string
  password: string
  width: number
  height: number
  fps: number
  pattern: TestVideoPattern
}

/** The simulator's RTSP camera options, with the station to register them with. */
export type RtspCliOptions = Omit<RtspCameraOptions, 'count'> & {
  /** The station's base URL. */
  url: string
  adminPassword: string
  adminUser?: string
  cameras: number
}

export interface RtspCliRun {
  fleet: RtspCameras
  describe(): string
  progress(): string
  summary(): string
  stop(): Promise<void>
}

const video = (v: TestVideo) => `${v.width}x${v.height} ${v.fps} fps ${v.bitrateKbps} kbit/s`

export async function startRtspCameraSimulation(o: RtspCliOptions): Promise<RtspCliRun> {
  const token = await signInAsAdmin(o.url, o.adminPassword, o.adminUser)
  const fleet = await startRtspCameras({
    stationUrl: o.url,
    adminToken: token,
    cameras: o.cameras,
    port: o.port,
    auth:
      o.auth === 'none' ? { scheme: 'none' } : { scheme: o.auth, username: o.username, password: o.password },
    main: { width: o.width, height: o.height, fps: o.fps, pattern: o.pattern },
  })
  const { server, cameras, main, sub } = fleet
  const totals = () => {
    const s = server.stats()
    return { ...s, playing: s.clients.filter((c) => c.playing).length }
  }
  return {
    fleet,
    describe() {
      const auth = o.auth === 'none' ? 'no authentication' : `${o.auth} authentication, user "${o.username}"`
      const subs = sub ? `; sub streams ${video(sub)} registered as subUrl` : ''
      const first = cameras[0]
      return (
        `Simulating ${cameras.length} RTSP cameras on ${server.origin} (${auth}): main ${video(main)}${subs}\n` +
        (first ? `  e.g. ${first.url}${first.subUrl ? ` and ${first.subUrl}` : ''}` : '')
      )
    },
    progress() {
      const t = totals()
      return `rtsp: ${t.playing} client(s) playing, frames sent ${t.framesSent.toLocaleString('en-US')}, skipped ${t.framesSkipped}, stalled clients dropped ${t.stalledDrops}`
    },
    summary() {
      const t = totals()
      return `RTSP summary (${cameras.length} cameras): ${t.totalConnections} connection(s), ${t.framesSent.toLocaleString('en-US')} frames sent, ${t.framesSkipped} skipped, stalled clients dropped ${t.stalledDrops}`
    },
    stop: () => fleet.stop(),
  }
}
