/**
 * RTSP cameras end to end, on loopback with real ffmpeg: the simulator's RTSP server (Digest auth) → the
 * station (auth proxy, ffmpeg remux, fMP4 splitter, the camera's channel) → WebSocket viewers and
 * `live.mp4` (read back with ffprobe). Late joiners start at a key frame, a stalled viewer holds no one
 * back, the sub stream serves tiles, refused credentials and a dying source are told plainly, no ffmpeg
 * outlives the station, and the camera's password appears in no log line, error or API answer.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jpegDimensions } from './jpeg'
import { VIEWER_QUEUE } from './viewers'
import { Fmp4Splitter, type Fragment, type InitSegment } from './fmp4/splitter'
import { RtspSimServer } from './sim/rtsp-server'
import { rtspCameraVideos } from './sim/rtsp-cameras'
import {
  ffmpegChildren,
  request,
  startVideoStation,
  waitFor,
  wsClient,
  type VideoStation,
} from './test-support'

const creds = { username: 'viewer', password: 'Sekr3t-Pa55' }
const logLines: string[] = []
let s: VideoStation
let rtsp: RtspSimServer

beforeAll(async () => {
  const videos = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, {})
  const stream = (path: string, v: typeof videos.main) => ({
    path,
    file: v.file,
    fps: v.fps,
    width: v.width,
    height: v.height,
  })
  rtsp = await new RtspSimServer({
    streams: [
      stream('/cam1/main', videos.main),
      stream('/cam1/sub', videos.sub!),
      stream('/cam2/main', videos.main),
      stream('/flaky/main', videos.main),
    ],
    auth: { scheme: 'digest', ...creds },
  }).start()
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString())
      done()
    },
  })
  s = await startVideoStation(
    { STATION_VIDEO_OFFLINE_AFTER_MS: '3000', STATION_VIDEO_BACKOFF_MAX_MS: '1000' },
    { logger: { level: 'debug', stream: sink } },
  )
}, 120_000)

afterAll(async () => {
  await s?.station.close()
  await rtsp?.stop()
})

const auth = () => ({ authorization: `Bearer ${s.guard}` })
const wsUrl = (id: number, query = '') => `${s.url.replace('http', 'ws')}/ws/stream/${id}${query}`
const stats = async (id: number) => {
  const res = await request(`${s.url}/api/v1/stream/stats`, 'GET', { authorization: `Bearer ${s.admin}` })
  return (JSON.parse(res.body) as { data: { cameras: Record<string, unknown>[] } }).data.cameras.find(
    (c) => c.id === id,
  )!
}

/** A camera's stats once `cond` holds (polled; 30 s at most). */
async function statsWhen(id: number, cond: (c: Record<string, unknown>) => boolean) {
  const until = Date.now() + 30_000
  for (;;) {
    const c = await stats(id)
    if (cond(c)) return c
    if (Date.now() > until) throw new Error(`camera ${id}: condition not met; last ${JSON.stringify(c)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function rtspCamera(name: string, path: string, extra: Record<string, unknown> = {}) {
  return s.createCamera({
    name,
    kind: 'rtsp',
    // Pasted with the credentials in it, as installers do: the station moves them out.
    url: rtsp.url(path, creds),
    ...extra,
  })
}

/** A WebSocket viewer's messages, parsed: the init message(s), and the fMP4 it received. */
function parse(texts: string[], binaries: Buffer[]) {
  const inits: InitSegment[] = []
  const fragments: Fragment[] = []
  const splitter = new Fmp4Splitter({
    init: (i) => inits.push(i),
    fragment: (f) => fragments.push(f),
    error: (e) => {
      throw e
    },
  })
  for (const b of binaries) splitter.push(b)
  const messages = texts.map((t) => JSON.parse(t) as Record<string, unknown>)
  return { inits, fragments, initMessages: messages.filter((m) => m.type === 'init'), messages }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

describe('an RTSP camera', () => {
  let cam1: number

  it('reaches WebSocket viewers as fMP4: the init message names the codec, then init segment and fragments', async () => {
    cam1 = await rtspCamera('Gate', '/cam1/main', { subUrl: rtsp.url('/cam1/sub') })
    const viewer = await wsClient(wsUrl(cam1), { headers: auth() })
    expect(viewer.status).toBe(101)
    await waitFor(() => parse(viewer.texts, viewer.frames).fragments.length >= 30, '30 fragments', 30_000)
    const got = parse(viewer.texts, viewer.frames)
    expect(got.initMessages[0]).toMatchObject({
      type: 'init',
      codec: expect.stringMatching(/^avc1\.[0-9a-f]{6}$/i),
      stream: 'main',
      mode: 'direct',
      width: 640,
      height: 360,
    })
    expect(got.inits[0]!.codecString).toBe(got.initMessages[0]!.codec)
    // The first fragment a viewer gets is a key frame; one fragment per frame.
    expect(got.fragments[0]!.keyframe).toBe(true)
    expect(got.fragments.every((f) => f.sampleCount === 1)).toBe(true)
    expect(await stats(cam1)).toMatchObject({ state: 'online', kind: 'rtsp', width: 640, height: 360 })
    // The camera's credentials were moved out of the URL and never reach ffmpeg's command line.
    for (const pid of ffmpegChildren(process.pid)) expect(cmdline(pid)).not.toContain(creds.password)
    viewer.close()
  })

  it('a viewer that joins late starts at a key frame; a stalled viewer holds no one back', async () => {
    const stalled = await wsClient(wsUrl(cam1), { headers: auth(), stalled: true })
    const early = await wsClient(wsUrl(cam1), { headers: auth() })
    await waitFor(() => parse(early.texts, early.frames).fragments.length >= 12, 'early viewer going')
    const late = await wsClient(wsUrl(cam1), { headers: auth() })
    await waitFor(() => parse(late.texts, late.frames).fragments.length >= 60, 'late viewer going', 30_000)
    const lateGot = parse(late.texts, late.frames)
    expect(lateGot.inits).toHaveLength(1)
    expect(lateGot.fragments[0]!.keyframe).toBe(true)
    // Decode times keep increasing: a continuous stream, though the stalled viewer never read a byte.
    const dts = lateGot.fragments.map((f) => f.baseMediaDecodeTime!)
    expect(dts.every((t, i) => i === 0 || t > dts[i - 1]!)).toBe(true)
    expect(parse(early.texts, early.frames).fragments.length).toBeGreaterThanOrEqual(60)
    // What waits for the stalled viewer stays within its bound (it skips to key frames instead).
    const consumers = s.station.app.video.channel(cam1)!.consumers()
    for (const c of consumers) {
      expect(c.queuedUnits).toBeLessThanOrEqual(VIEWER_QUEUE.maxQueueUnits)
      expect(c.queuedBytes).toBeLessThanOrEqual(VIEWER_QUEUE.maxQueueBytes)
    }
    for (const c of [stalled, early, late]) c.close()
  })

  it('serves tiles the sub stream, and live.mp4 that ffprobe reads as H.264 at the right size', async () => {
    const tile = await wsClient(wsUrl(cam1, '?stream=sub'), { headers: auth() })
    await waitFor(() => parse(tile.texts, tile.frames).fragments.length >= 5, 'sub stream fragments', 30_000)
    const sub = parse(tile.texts, tile.frames)
    expect(sub.initMessages[0]).toMatchObject({ stream: 'sub', mode: 'direct' })
    expect(sub.inits[0]).toMatchObject({ width: 320, height: 180 })
    tile.close()

    const token = await request(
      `${s.url}/api/v1/stream/token`,
      'POST',
      { ...auth(), 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ cameraId: cam1 })),
    )
    const t = (JSON.parse(token.body) as { data: { token: string } }).data.token
    const url = `${s.url}/api/v1/stream/${cam1}/live.mp4?token=${encodeURIComponent(t)}`
    const probe = await new Promise<string>((resolve, reject) =>
      execFile(
        'ffprobe',
        [
          ...['-v', 'error', '-read_intervals', '%+#50', '-count_frames'],
          ...['-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames'],
          ...['-of', 'json', url],
        ],
        { timeout: 30_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    )
    const [stream] = (JSON.parse(probe) as { streams: Record<string, unknown>[] }).streams
    expect(stream).toMatchObject({ codec_name: 'h264', width: 640, height: 360 })
    expect(Number(stream!.nb_read_frames)).toBeGreaterThanOrEqual(25)

    // MJPEG is for JPEG cameras: an RTSP camera's answer says where to watch it.
    const mjpeg = await request(`${s.url}/api/v1/stream/${cam1}/mjpeg`, 'GET', auth())
    expect(mjpeg.status).toBe(409)
    expect(mjpeg.body).toContain('live.mp4')
  })

  it('answers snapshots with a JPEG of the latest key frame, decoded on demand and shared', async () => {
    const [a, b] = await Promise.all(
      [0, 1].map(() => request(`${s.url}/api/v1/stream/${cam1}/snapshot.jpg`, 'GET', auth())),
    )
    for (const r of [a!, b!]) {
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toBe('image/jpeg')
      expect(jpegDimensions(r.raw)).toEqual({ width: 640, height: 360 })
    }
    // Two at once: one decode (the same key frame), cached for a second.
    expect(a!.headers['x-frame-seq']).toBe(b!.headers['x-frame-seq'])
    expect(s.station.app.video.snapshots!.stats().decodes).toBeLessThanOrEqual(1)
  })

  it('wrong credentials are told as such; a source that dies goes offline and comes back', async () => {
    const wrong = await s.createCamera({
      name: 'Wrong password',
      kind: 'rtsp',
      url: rtsp.url('/cam2/main'),
      username: creds.username,
      password: 'not-the-password',
      stayConnected: true,
    })
    const refused = await statsWhen(wrong, (c) => /user name or password/.test(String(c.lastError)))
    expect(refused.state).not.toBe('online')

    const flaky = await rtspCamera('Flaky', '/flaky/main', { stayConnected: true })
    await statsWhen(flaky, (c) => c.state === 'online')
    rtsp.killPath('/flaky/main')
    const down = await statsWhen(flaky, (c) => c.state === 'offline')
    expect(String(down.lastError)).not.toBe('')
    const events = await s.eventsIncluding(flaky, ['camera.offline'])
    expect(events.at(-1)!.message).toContain('Flaky')
    rtsp.revivePath('/flaky/main')
    await statsWhen(flaky, (c) => c.state === 'online')
  })

  it("never shows the camera's password in an answer or a log line", async () => {
    const admin = { authorization: `Bearer ${s.admin}` }
    for (const path of ['/api/cameras', `/api/cameras/${cam1}`, '/api/v1/stream/stats', '/api/stream']) {
      const res = await request(`${s.url}${path}`, 'GET', admin)
      expect(res.status).toBe(200)
      expect(res.body).not.toContain(creds.password)
    }
    expect(logLines.length).toBeGreaterThan(0)
    expect(logLines.join('')).not.toContain(creds.password)
  })

  it('leaves no ffmpeg running once the station stops', async () => {
    const viewer = await wsClient(wsUrl(cam1), { headers: auth() })
    await waitFor(() => viewer.frames.length > 3, 'video flowing')
    const ours = ffmpegChildren(process.pid)
    expect(ours.length).toBeGreaterThan(0)
    await s.station.close()
    await waitFor(
      () => ours.every((pid) => !ffmpegChildren(process.pid).includes(pid)),
      'every ffmpeg gone',
      10_000,
    )
  })
})
