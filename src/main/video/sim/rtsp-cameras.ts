/**
 * Simulated RTSP/H.264 cameras at a station: one RTSP server on 127.0.0.1 serving `/camN/main` and
 * `/camN/sub` for each camera (every main path loops the same test video, every sub path the small one,
 * each path on its own clock), registered (or reused, by name) through the admin API as one `rtsp` camera
 * each: the main URL as `url`, the sub stream (when served) as `subUrl`, and the credentials when the server
 * asks for them.
 */
import type { RtspAuthOptions } from './rtsp-auth'
import { RtspSimServer } from './rtsp-server'
import { stationApi, type ApiCamera } from './station-api'
import {
  defaultBitrateKbps,
  makeTestVideo,
  SMALL_VIDEO,
  type TestVideo,
  type TestVideoOptions,
} from './test-video'

export interface RtspCamerasOptions {
  /** The station's base URL, e.g. http://127.0.0.1:8787 */
  stationUrl: string
  /** An admin session token. */
  adminToken: string
  cameras: number
  /** RTSP port on 127.0.0.1 (default 0: any free port). */
  port?: number
  auth?: RtspAuthOptions
  /** The main stream (default 1280x720, 25 fps, bitrate by size). */
  main?: TestVideoOptions
  /** The sub stream (default `subStreamSize`, at the main stream's fps and pattern); false: no sub paths. */
  sub?: TestVideoOptions | false
  namePrefix?: string
  /** Default true: the station keeps the camera connected without viewers. */
  stayConnected?: boolean
}

export interface RtspCamera {
  id: number
  name: string
  url: string
  /** The sub stream, registered as the camera's `subUrl` (undefined: no sub stream served). */
  subUrl: string | undefined
}

export interface RtspCameras {
  server: RtspSimServer
  cameras: RtspCamera[]
  main: TestVideo
  sub: TestVideo | undefined
  stop(): Promise<void>
}

const even = (n: number) => Math.max(16, Math.round(n / 2) * 2)

/** A sub stream 640 pixels wide at the main stream's aspect ratio, or half the main stream if that is smaller. */
export function subStreamSize(width: number, height: number): { width: number; height: number } {
  const w = width > 640 ? SMALL_VIDEO.width : even(width / 2)
  return { width: w, height: even((height * w) / width) }
}

/** The test videos for a main stream and its sub stream (encoded once, then from the cache). */
export async function rtspCameraVideos(
  main: TestVideoOptions = {},
  sub: TestVideoOptions | false = {},
): Promise<{ main: TestVideo; sub: TestVideo | undefined }> {
  const width = main.width ?? 1280
  const height = main.height ?? 720
  const fps = main.fps ?? 25
  const mainOpts = {
    durationS: 10,
    bitrateKbps: defaultBitrateKbps(width, height, fps),
    ...main,
    width,
    height,
    fps,
  }
  const subSize = subStreamSize(width, height)
  const subOpts = sub && {
    ...subSize,
    fps,
    durationS: mainOpts.durationS,
    ...(main.pattern ? { pattern: main.pattern } : {}),
    ...(main.cacheDir ? { cacheDir: main.cacheDir } : {}),
    ...sub,
  }
  const [m, s] = await Promise.all([
    makeTestVideo(mainOpts),
    subOpts
      ? makeTestVideo({
          bitrateKbps: defaultBitrateKbps(subOpts.width, subOpts.height, subOpts.fps),
          ...subOpts,
        })
      : undefined,
  ])
  return { main: m, sub: s }
}

export async function startRtspCameras(o: RtspCamerasOptions): Promise<RtspCameras> {
  const { main, sub } = await rtspCameraVideos(o.main, o.sub ?? {})
  const streams = []
  for (let i = 1; i <= o.cameras; i++) {
    streams.push({
      path: `/cam${i}/main`,
      file: main.file,
      fps: main.fps,
      width: main.width,
      height: main.height,
    })
    if (sub)
      streams.push({
        path: `/cam${i}/sub`,
        file: sub.file,
        fps: sub.fps,
        width: sub.width,
        height: sub.height,
      })
  }
  const server = await new RtspSimServer({
    streams,
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.auth ? { auth: o.auth } : {}),
  }).start()
  try {
    const cameras = await register(o, server, main.fps, sub !== undefined)
    return { server, cameras, main, sub, stop: () => server.stop() }
  } catch (err) {
    await server.stop()
    throw err
  }
}

async function register(
  o: RtspCamerasOptions,
  server: RtspSimServer,
  fps: number,
  withSub: boolean,
): Promise<RtspCamera[]> {
  const call = <T>(method: string, path: string, body?: unknown) =>
    stationApi<T>(o.stationUrl, o.adminToken, method, path, body)
  const existing = await call<ApiCamera[]>('GET', '/api/cameras')
  const prefix = o.namePrefix ?? 'Sim RTSP camera'
  const secured = o.auth && o.auth.scheme !== 'none'
  const cameras: RtspCamera[] = []
  for (let i = 1; i <= o.cameras; i++) {
    const name = `${prefix} ${String(i).padStart(2, '0')}`
    const url = server.url(`/cam${i}/main`)
    const subUrl = withSub ? server.url(`/cam${i}/sub`) : undefined
    const body = {
      kind: 'rtsp',
      url,
      subUrl: subUrl ?? null,
      username: secured ? o.auth!.username! : null,
      password: secured ? o.auth!.password! : null,
      fps: Math.min(60, Math.max(1, Math.round(fps))),
      enabled: true,
      stayConnected: o.stayConnected ?? true,
      // The simulator serves on this computer: the station refuses such URLs unless allowed.
      allowLocal: true,
    }
    const found = existing.find((c) => c.name === name)
    const cam = found
      ? await call<ApiCamera>('PUT', `/api/cameras/${found.id}`, body)
      : await call<ApiCamera>('POST', '/api/cameras', { name, ...body })
    cameras.push({ id: cam.id, name, url, subUrl })
  }
  return cameras
}
