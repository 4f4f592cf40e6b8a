/**
 * Simulated cameras, for installers trying a station without hardware, for tests and for the benchmark:
 * push cameras sending real JPEG frames, and local MJPEG / snapshot cameras on 127.0.0.1 for the station
 * to pull. `startSimulatedCameras` registers them at the station (admin API) and runs them. RTSP/H.264
 * cameras: `RtspSimServer` (rtsp-server.ts) serves test videos from `makeTestVideo` (test-video.ts), and
 * `startRtspCameras` (rtsp-cameras.ts) registers them.
 */
import { SimCameraServer } from './camera-server'
import { SimPushCamera, type PushStats } from './push-camera'
import { sharedSimFrames } from './frames'
import { stationApi as api, type ApiCamera } from './station-api'

export { SimCameraServer } from './camera-server'
export { SimPushCamera } from './push-camera'
export { SimFrames, sharedSimFrames } from './frames'
export { RtspSimServer, type RtspSimServerOptions } from './rtsp-server'
export { startRtspCameras, type RtspCameras, type RtspCamerasOptions } from './rtsp-cameras'
export {
  makeTestVideo,
  FULL_HD_VIDEO,
  HD_VIDEO,
  SMALL_VIDEO,
  type TestVideo,
  type TestVideoOptions,
} from './test-video'

export type SimKind = 'push' | 'mjpeg' | 'snapshot'

export interface SimulatedCamerasOptions {
  /** The station's base URL, e.g. http://127.0.0.1:8787 */
  stationUrl: string
  /** An admin session token: cameras are created (or reused, by name) with POST/PUT /api/cameras. */
  adminToken: string
  /** The site key push cameras present. */
  deviceKey: string
  cameras: number
  fps: number
  /** Kinds handed out in turn (default push, push, mjpeg, snapshot). */
  kinds?: readonly SimKind[]
  transport?: 'http' | 'ws'
  namePrefix?: string
  /** Pull cameras stay connected without viewers (health visible at once). Default true. */
  stayConnected?: boolean
}

export interface SimulatedCamera {
  id: number
  name: string
  kind: SimKind
  push?: SimPushCamera
  server?: SimCameraServer
}

export interface SimulatedCameras {
  cameras: SimulatedCamera[]
  stats(): { push: PushStats; pulled: { framesSent: number; connections: number } }
  stop(): Promise<void>
}

export async function startSimulatedCameras(o: SimulatedCamerasOptions): Promise<SimulatedCameras> {
  const kinds = o.kinds ?? ['push', 'push', 'mjpeg', 'snapshot']
  const prefix = o.namePrefix ?? 'Sim camera'
  const frames = sharedSimFrames()
  const existing = await api<ApiCamera[]>(o.stationUrl, o.adminToken, 'GET', '/api/cameras')
  const cameras: SimulatedCamera[] = []
  try {
    for (let i = 0; i < o.cameras; i++) {
      const kind = kinds[i % kinds.length]!
      const name = `${prefix} ${String(i + 1).padStart(2, '0')} (${kind})`
      let server: SimCameraServer | undefined
      let url: string | null = null
      if (kind !== 'push') {
        server = await new SimCameraServer({ label: `SIM ${i + 1}`, fps: o.fps, frames }).start()
        url = `${server.url}/${kind === 'mjpeg' ? 'mjpeg' : 'snapshot.jpg'}`
      }
      const body = {
        kind,
        url,
        fps: Math.min(60, Math.max(1, Math.round(o.fps))),
        enabled: true,
        stayConnected: kind !== 'push' && (o.stayConnected ?? true),
        // The simulated cameras serve on this computer: the station refuses such URLs unless allowed.
        allowLocal: kind !== 'push',
      }
      const found = existing.find((c) => c.name === name)
      const cam = found
        ? await api<ApiCamera>(o.stationUrl, o.adminToken, 'PUT', `/api/cameras/${found.id}`, body)
        : await api<ApiCamera>(o.stationUrl, o.adminToken, 'POST', '/api/cameras', { name, ...body })
      const entry: SimulatedCamera = { id: cam.id, name, kind }
      if (server) entry.server = server
      cameras.push(entry)
    }
    for (const c of cameras) {
      if (c.kind !== 'push') continue
      c.push = new SimPushCamera({
        stationUrl: o.stationUrl,
        cameraId: c.id,
        fps: o.fps,
        transport: o.transport ?? 'http',
        deviceKey: o.deviceKey,
        label: `CAM ${c.id}`,
        frames,
      })
      await c.push.start()
    }
  } catch (err) {
    for (const c of cameras) {
      c.push?.stop()
      await c.server?.stop()
    }
    throw err
  }
  return {
    cameras,
    stats() {
      const push: PushStats = { sent: 0, skipped: 0, failed: 0, lastError: null }
      let framesSent = 0
      let connections = 0
      for (const c of cameras) {
        if (c.push) {
          push.sent += c.push.stats.sent
          push.skipped += c.push.stats.skipped
          push.failed += c.push.stats.failed
          push.lastError = c.push.stats.lastError ?? push.lastError
        }
        if (c.server) {
          framesSent += c.server.framesSent
          connections += c.server.openConnections
        }
      }
      return { push, pulled: { framesSent, connections } }
    },
    async stop() {
      for (const c of cameras) c.push?.stop()
      await Promise.all(cameras.map((c) => c.server?.stop()))
    },
  }
}
