/**
 * The camera part of `npm run simulate -- --cameras 8 --fps 25`: signs in as admin (cameras are created
 * through the admin API), starts the simulated cameras, and reports progress lines for the CLI.
 */
import { startSimulatedCameras, type SimKind, type SimulatedCameras } from './index'
import { signInAsAdmin } from './station-api'

export interface CameraCliOptions {
  /** The station's base URL. */
  url: string
  /** Site key the push cameras present. */
  key: string
  cameras: number
  fps: number
  /** Admin password (STATION_ADMIN_PASSWORD) to register the cameras. */
  adminPassword: string
  adminUser?: string
  transport?: 'http' | 'ws'
  kinds?: readonly SimKind[]
}

export interface CameraCliRun {
  fleet: SimulatedCameras
  describe(): string
  progress(): string
  stop(): Promise<void>
}

export async function startCameraSimulation(o: CameraCliOptions): Promise<CameraCliRun> {
  const token = await signInAsAdmin(o.url, o.adminPassword, o.adminUser)
  const fleet = await startSimulatedCameras({
    stationUrl: o.url,
    adminToken: token,
    deviceKey: o.key,
    cameras: o.cameras,
    fps: o.fps,
    transport: o.transport ?? 'http',
    ...(o.kinds ? { kinds: o.kinds } : {}),
  })
  let prevSent = 0
  let prevAt = performance.now()
  return {
    fleet,
    describe() {
      const counts = new Map<string, number>()
      for (const c of fleet.cameras) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1)
      const kinds = [...counts].map(([k, n]) => `${n} ${k}`).join(', ')
      return `Simulating ${fleet.cameras.length} cameras (${kinds}) at ${o.fps} fps, 640x480 JPEG; pull cameras serve on 127.0.0.1`
    },
    progress() {
      const s = fleet.stats()
      const now = performance.now()
      const fps = ((s.push.sent - prevSent) * 1000) / Math.max(1, now - prevAt)
      prevSent = s.push.sent
      prevAt = now
      return (
        `cameras: pushed ${s.push.sent.toLocaleString('en-US')} frames (${fps.toFixed(0)}/s), skipped ${s.push.skipped}, failed ${s.push.failed}` +
        ` | pulled by the station ${s.pulled.framesSent.toLocaleString('en-US')} frames over ${s.pulled.connections} connection(s)` +
        (s.push.lastError ? ` | last error: ${s.push.lastError}` : '')
      )
    },
    stop: () => fleet.stop(),
  }
}
