/**
 * Helpers for the video tests: a station with cameras, viewer clients (MJPEG and WebSocket, optionally
 * stalled), and JPEG-shaped test frames. Test code only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { WebSocket } from 'ws'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from '../server/test-helper'
import { MultipartJpegParser, boundaryOf } from './multipart-parser'

export { TEST_DEVICE_KEY }

/** Polls `cond` until it holds (bounded); throws with `what` when it never does. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A JPEG-shaped frame (SOI, a COM segment naming it, filler, EOI) of about `size` bytes. */
export function testFrame(seq: number, size = 2000): Buffer {
  const text = Buffer.from(`test frame ${seq}`)
  const com = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff])
  const filler = Buffer.alloc(Math.max(200, size - text.length - 8), seq % 251)
  return Buffer.concat([Buffer.from([0xff, 0xd8]), com, text, filler, Buffer.from([0xff, 0xd9])])
}

export interface VideoStation {
  station: TestStation
  url: string
  admin: string
  guard: string
  createCamera(body: Record<string, unknown>): Promise<number>
  /** Events of a camera (GET /api/events), oldest first. */
  events(cameraId: number): Promise<{ type: string; message: string }[]>
  /**
   * The events of a camera once they include every type in `types` (events are raised after the health
   * write that caused them commits, and are written through their own queue: they come a little later).
   */
  eventsIncluding(cameraId: number, types: string[]): Promise<{ type: string; message: string }[]>
  updateCamera(id: number, body: Record<string, unknown>): Promise<void>
  deleteCamera(id: number): Promise<void>
  /** Pushes one frame over HTTP; answers the status code and body. */
  push(id: number, frame: Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>
}

/** Whether a camera body names a URL (`url`, or an rtsp camera's `subUrl`). */
const namesUrl = (body: Record<string, unknown>) =>
  (body.url !== undefined && body.url !== null) || (body.subUrl !== undefined && body.subUrl !== null)

/** Starts a station; STATION_VIDEO_* settings in `env` go into its config (`app.config.video`). */
export async function startVideoStation(
  env: Record<string, string> = {},
  opts: Parameters<typeof createTestStation>[1] = {},
): Promise<VideoStation> {
  const station = await createTestStation(env, opts)
  const { url } = await station.start()
  const admin = await station.login()
  const guard = await station.guardToken()
  const call = async (method: 'POST' | 'PUT' | 'DELETE', path: string, payload?: Record<string, unknown>) => {
    const res = await station.app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${admin}` },
      ...(payload ? { payload } : {}),
    })
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`)
    return res.json() as { data: { id: number } }
  }
  const vs: VideoStation = {
    station,
    url,
    admin,
    guard,
    async createCamera(body) {
      // Test cameras (main and sub streams) serve on 127.0.0.1, which the station refuses unless allowed.
      const local = namesUrl(body) ? { allowLocal: true } : {}
      return (await call('POST', '/api/cameras', { enabled: true, ...local, ...body })).data.id
    },
    async events(cameraId) {
      const res = await station.app.inject({
        method: 'GET',
        url: '/api/events?limit=100',
        headers: { authorization: `Bearer ${admin}` },
      })
      const events = (
        res.json() as { data: { events: { type: string; message: string; sourceId: string; ts: number }[] } }
      ).data.events
      return events.filter((e) => e.sourceId === String(cameraId)).sort((a, b) => a.ts - b.ts)
    },
    async eventsIncluding(cameraId, types) {
      const until = Date.now() + 10_000
      for (;;) {
        const events = await vs.events(cameraId)
        if (types.every((t) => events.some((e) => e.type === t))) return events
        if (Date.now() > until) throw new Error(`timed out waiting for events ${types.join(', ')}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async updateCamera(id, body) {
      const local = namesUrl(body) ? { allowLocal: true } : {}
      await call('PUT', `/api/cameras/${id}`, { ...local, ...body })
    },
    async deleteCamera(id) {
      await call('DELETE', `/api/cameras/${id}`)
    },
    push: (id, frame, headers = { 'x-device-key': TEST_DEVICE_KEY }) =>
      request(`${url}/api/v1/stream/fast/${id}`, 'POST', { 'content-type': 'image/jpeg', ...headers }, frame),
  }
  return vs
}

export function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders; raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, body: raw.toString('latin1'), headers: res.headers, raw })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

export interface FrameClient {
  frames: Buffer[]
  texts: string[]
  status: number
  headers: http.IncomingHttpHeaders
  closed: boolean
  close(): void
}

/** Opens an MJPEG viewer; `stalled` reads nothing after the headers (a frozen browser tab). */
export function mjpegViewer(
  url: string,
  opts: { stalled?: boolean; headers?: Record<string, string> } = {},
): Promise<FrameClient> {
  return new Promise((resolve, reject) => {
    const client: FrameClient = {
      frames: [],
      texts: [],
      status: 0,
      headers: {},
      closed: false,
      close: () => req.destroy(),
    }
    const req = http.get(url, { headers: opts.headers ?? {} }, (res) => {
      client.status = res.statusCode ?? 0
      client.headers = res.headers
      res.on('close', () => {
        client.closed = true
      })
      if (client.status !== 200) {
        res.on('data', (c: Buffer) => client.texts.push(c.toString()))
        res.on('end', () => resolve(client))
        return
      }
      if (opts.stalled) {
        res.pause()
        res.socket.pause()
        resolve(client)
        return
      }
      const parser = new MultipartJpegParser(
        boundaryOf(res.headers['content-type']) ?? 'x',
        64 * 1024 * 1024,
        {
          frame: (f) => client.frames.push(f),
          problem: (m) => client.texts.push(m),
        },
      )
      res.on('data', (c: Buffer) => parser.push(c))
      resolve(client)
    })
    req.on('error', (err) => (client.status ? undefined : reject(err)))
  })
}

/** Opens a WebSocket viewer (or camera); resolves once open, or with the refusal status. */
export function wsClient(
  url: string,
  opts: { stalled?: boolean; headers?: Record<string, string> } = {},
): Promise<FrameClient & { ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: opts.headers ?? {}, perMessageDeflate: false })
    const client = {
      ws,
      frames: [] as Buffer[],
      texts: [] as string[],
      status: 0,
      headers: {} as http.IncomingHttpHeaders,
      closed: false,
      close: () => ws.terminate(),
    }
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) client.frames.push(data)
      else client.texts.push(data.toString())
    })
    ws.on('open', () => {
      client.status = 101
      if (opts.stalled) ws.pause()
      resolve(client)
    })
    ws.on('unexpected-response', (_req, res) => {
      client.status = res.statusCode ?? 0
      client.headers = res.headers
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        client.texts.push(Buffer.concat(chunks).toString())
        resolve(client)
      })
    })
    ws.on('close', () => {
      client.closed = true
    })
    ws.on('error', () => resolve(client))
  })
}

/** The ffmpeg processes whose parent is `ppid` and that have not exited (Linux /proc). */
export function ffmpegChildren(ppid: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const [state, parent] = stat.slice(close + 2).split(' ')
      if (comm === 'ffmpeg' && Number(parent) === ppid && state !== 'Z') pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Alive and not a zombie (a process that exited but nobody reaped counts as gone). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}
