/**
 * Motion detection end to end, on loopback with real ffmpeg: the simulator's RTSP server serves a moving
 * square and a static picture; the station's detectors (one small ffmpeg decoder per camera, fed the
 * camera's sub stream from its channel) raise `camera.motion` start and end, a station event and a live
 * message for the square, nothing for the static picture or outside the zones, follow settings, disabled
 * and deleted cameras, and leave no ffmpeg behind. Settings: validation and who may change them.
 */
import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { makeTestVideo } from '../video/sim/test-video'
import { startVideoStation, waitFor, type VideoStation } from '../video/test-support'
import type { DomainEventOf } from '../../shared/events/domain-events'
import type { LiveMessage } from '../../shared/schemas/live'
import type { MotionCameraStats, MotionPolygon, MotionSettings } from '../../shared/schemas/motion'

let s: VideoStation
let rtsp: RtspSimServer
const motion: DomainEventOf<'camera.motion'>[] = []
const live: LiveMessage[] = []

beforeAll(async () => {
  const size = { width: 640, height: 360, fps: 25, durationS: 4 }
  const [moving, still, shortGop] = await Promise.all([
    rtspCameraVideos({ ...size, pattern: 'moving-square' }, {}),
    rtspCameraVideos({ ...size, pattern: 'static' }, {}),
    // Five key frames a second: enough for the detector's 3 fps from key frames alone.
    makeTestVideo({ width: 320, height: 180, fps: 25, gop: 5, durationS: 4, pattern: 'moving-square' }),
  ])
  const path = (p: string, v: typeof moving.main) => ({
    path: p,
    file: v.file,
    fps: v.fps,
    width: v.width,
    height: v.height,
  })
  rtsp = await new RtspSimServer({
    streams: [
      path('/moving/main', moving.main),
      path('/moving/sub', moving.sub!),
      path('/static/main', still.main),
      path('/static/sub', still.sub!),
      path('/short-gop/sub', shortGop),
    ],
  }).start()
  s = await startVideoStation({ STATION_VIDEO_BACKOFF_MAX_MS: '1000' })
  s.station.app.domainEvents.on('camera.motion', 'test', (e) => motion.push(e))
  s.station.app.live.subscribe({ username: 'desk', role: 'guard' }, (m) => live.push(m))
}, 120_000)

let stopped = false
afterAll(async () => {
  if (!stopped) await s?.station.close()
  await rtsp?.stop()
})

const rect = (x0: number, y0: number, x1: number, y1: number): MotionPolygon => ({
  points: [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ],
})

async function camera(name: string, video: 'moving' | 'static') {
  return s.createCamera({
    name,
    kind: 'rtsp',
    url: rtsp.url(`/${video}/main`),
    subUrl: rtsp.url(`/${video}/sub`),
  })
}

async function api(method: 'GET' | 'PUT', url: string, token: string, payload?: object) {
  const res = await s.station.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  })
  return { status: res.statusCode, body: res.json() as { data: MotionSettings; message?: string } }
}

const putMotion = (id: number, body: object, token = s.admin) =>
  api('PUT', `/api/cameras/${id}/motion`, token, body)

function stats(): MotionCameraStats[] {
  return s.station.app.motion.runner.stats().cameras
}
const statsOf = (id: number) => stats().find((c) => c.cameraId === id)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const pids = new Set<number>()
/** Notes every decoder pid seen, for the check that none outlives the station. */
function notePids() {
  for (const c of stats()) if (c.decoderPid !== null) pids.add(c.decoderPid)
}

describe('motion settings', () => {
  let cam: number

  it('are the defaults (off) until an admin sets them; guards read them but cannot change them', async () => {
    cam = await camera('Settings', 'static')
    const got = await api('GET', `/api/cameras/${cam}/motion`, s.guard)
    expect(got.status).toBe(200)
    expect(got.body.data).toMatchObject({
      cameraId: cam,
      enabled: false,
      sensitivity: 50,
      minArea: 0.01,
      fps: 3,
      zones: [],
      masks: [],
      updatedAt: null,
    })
    expect((await putMotion(cam, { enabled: true }, s.guard)).status).toBe(403)
    const put = await putMotion(cam, { sensitivity: 70, zones: [rect(0, 0, 0.5, 0.5)] })
    expect(put.status).toBe(200)
    expect(put.body.data).toMatchObject({ enabled: false, sensitivity: 70, zones: [rect(0, 0, 0.5, 0.5)] })
    expect((await api('GET', `/api/cameras/${cam}/motion`, s.guard)).body.data.sensitivity).toBe(70)
    // The change is in the audit log, with the settings before and after.
    const audit = await s.station.app.inject({
      method: 'GET',
      url: '/api/audit?action=motion.update',
      headers: { authorization: `Bearer ${s.admin}` },
    })
    const entries = (audit.json() as { data: { entries: Record<string, unknown>[] } }).data.entries
    expect(entries.find((e) => e.targetId === String(cam))).toMatchObject({
      action: 'motion.update',
      targetKind: 'camera',
      actorName: 'admin',
    })
  })

  it('refuse values out of range, unknown fields, polygons without area, and unknown cameras', async () => {
    for (const body of [
      { sensitivity: 0 },
      { sensitivity: 101 },
      { minArea: 0 },
      { minArea: 1.5 },
      { fps: 0 },
      { fps: 11 },
      { enabled: 'yes' },
      { recording: true },
      {
        zones: [
          {
            points: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          },
        ],
      },
      {
        masks: [
          {
            points: [
              { x: 0, y: 0 },
              { x: 2, y: 0 },
              { x: 0, y: 1 },
            ],
          },
        ],
      },
    ]) {
      expect((await putMotion(cam, body)).status, JSON.stringify(body)).toBe(400)
    }
    const flat = await putMotion(cam, { zones: [rect(0.2, 0.2, 0.2, 0.8)] })
    expect(flat.status).toBe(400)
    expect(flat.body.message).toMatch(/zone 1 encloses no area/)
    expect((await putMotion(9999, { enabled: true })).status).toBe(404)
    expect((await api('GET', '/api/cameras/9999/motion', s.guard)).status).toBe(404)
  })

  it('go with their camera', async () => {
    await s.deleteCamera(cam)
    expect((await api('GET', `/api/cameras/${cam}/motion`, s.admin)).status).toBe(404)
  })
})

describe('motion detection', () => {
  let moving: number
  let still: number
  let topZone: number
  let masked: number

  it('raises camera.motion start for a moving square, with a station event and a live message', async () => {
    moving = await camera('Yard', 'moving')
    still = await camera('Hall', 'static')
    topZone = await camera('Yard (sky zone)', 'moving')
    masked = await camera('Yard (masked)', 'moving')
    for (const id of [moving, still]) expect((await putMotion(id, { enabled: true })).status).toBe(200)
    // The square slides along the middle of the picture (y 0.4..0.6).
    await putMotion(topZone, { enabled: true, zones: [rect(0, 0, 1, 0.3)] })
    await putMotion(masked, { enabled: true, masks: [rect(0, 0.3, 1, 0.7)] })

    await waitFor(
      () => motion.some((e) => e.cameraId === moving && e.state === 'start'),
      'motion start',
      60_000,
    )
    const start = motion.find((e) => e.cameraId === moving)!
    expect(start.area).toBeGreaterThanOrEqual(0.01)
    expect(start.area).toBeLessThanOrEqual(1)
    const c = statsOf(moving)!
    expect(c).toMatchObject({
      running: true,
      stream: 'sub',
      width: 128,
      height: 72,
      fps: 3,
      mode: 'all-frames',
    })
    expect(c.decoderPid).toBeGreaterThan(0)
    // Guards see the detectors' figures too (which cameras are in motion).
    const res = await s.station.app.inject({
      method: 'GET',
      url: '/api/v1/motion/stats',
      headers: { authorization: `Bearer ${s.guard}` },
    })
    expect(res.statusCode).toBe(200)
    const listed = (res.json() as { data: { cameras: MotionCameraStats[]; unavailable: null } }).data
    expect(listed.unavailable).toBeNull()
    expect(listed.cameras.find((x) => x.cameraId === moving)).toMatchObject({ running: true })
    notePids()
    const events = await s.eventsIncluding(moving, ['camera.motion'])
    expect(events.find((e) => e.type === 'camera.motion')!.message).toMatch(/^Motion on camera "Yard" \(\d+%/)
    await waitFor(
      () => live.some((m) => m.type === 'camera.motion' && m.cameraId === moving && m.state === 'start'),
      'live motion message',
    )
  })

  it('raises nothing for a static picture, nor outside the zones or under the masks', async () => {
    // Every detector has compared enough frames to have seen the square several times over.
    await waitFor(
      () => [still, topZone, masked].every((id) => (statsOf(id)?.frames ?? 0) >= 24),
      '24 frames compared by each detector',
      60_000,
    )
    notePids()
    for (const id of [still, topZone, masked]) {
      expect(
        motion.filter((e) => e.cameraId === id),
        `camera ${id}`,
      ).toEqual([])
    }
    expect(statsOf(topZone)!.lastArea).toBeLessThan(0.01)
    expect((await s.events(still)).some((e) => e.type === 'camera.motion')).toBe(false)
  })

  it('a zone over the square, set while running, sees it at once (no restart)', async () => {
    const pid = statsOf(topZone)!.decoderPid
    await putMotion(topZone, { zones: [rect(0, 0.3, 1, 0.7)] })
    await waitFor(
      () => motion.some((e) => e.cameraId === topZone && e.state === 'start'),
      'zone motion',
      60_000,
    )
    expect(statsOf(topZone)!.decoderPid).toBe(pid)
  })

  it('ends motion when the camera goes static', async () => {
    await s.updateCamera(moving, { url: rtsp.url('/static/main'), subUrl: rtsp.url('/static/sub') })
    await waitFor(() => motion.some((e) => e.cameraId === moving && e.state === 'end'), 'motion end', 60_000)
    const starts = motion.filter((e) => e.cameraId === moving && e.state === 'start')
    const ends = motion.filter((e) => e.cameraId === moving && e.state === 'end')
    expect(ends).toHaveLength(starts.length)
    expect(ends.at(-1)!.at).toBeGreaterThanOrEqual(starts.at(-1)!.at)
    await waitFor(
      () => live.some((m) => m.type === 'camera.motion' && m.cameraId === moving && m.state === 'end'),
      'live end',
    )
  })

  it('stops the decoder when detection is turned off, the camera disabled or deleted', async () => {
    notePids()
    const decoder = (id: number) => statsOf(id)?.decoderPid ?? null
    const off = decoder(masked)!
    await putMotion(masked, { enabled: false })
    expect(statsOf(masked)).toBeUndefined()
    await waitFor(() => !alive(off), 'decoder gone after detection turned off')

    const disabled = decoder(still)!
    await s.updateCamera(still, { enabled: false })
    expect(statsOf(still)).toBeUndefined()
    await waitFor(() => !alive(disabled), 'decoder gone after the camera was disabled')
    // Enabled again: detection resumes.
    await s.updateCamera(still, { enabled: true })
    await waitFor(() => statsOf(still)?.running === true, 'detector back', 60_000)
    notePids()

    const deleted = decoder(topZone)!
    await s.deleteCamera(topZone)
    expect(statsOf(topZone)).toBeUndefined()
    await waitFor(() => !alive(deleted), 'decoder gone after the camera was deleted')
  })
})

/** `n` JPEGs of a white square sliding over grey (or standing still), 320x180, made by ffmpeg. */
function squareJpegs(n: number, still = false): Promise<Buffer[]> {
  const x = still ? '40' : `(W-w)*t/${n / 10}`
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0x404040:size=320x180:rate=10'],
    ...['-f', 'lavfi', '-i', 'color=c=white:size=36x36:rate=10', '-filter_complex'],
    `[0][1]overlay=x='${x}':y=72:shortest=1`,
    ...['-frames:v', String(n), '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe', 'pipe:1'],
  ]
  return new Promise((resolve, reject) =>
    execFile('ffmpeg', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, out) => {
      if (err) return reject(err)
      const frames: Buffer[] = []
      let start = 0
      for (let i = 2; i < out.length - 1; i++) {
        if (out[i] === 0xff && out[i + 1] === 0xd8) {
          frames.push(out.subarray(start, i))
          start = i
        }
      }
      frames.push(out.subarray(start))
      resolve(frames)
    }),
  )
}

describe('motion detection, other streams', () => {
  it('decodes key frames only when the camera sends them often enough, and still sees motion', async () => {
    const id = await s.createCamera({
      name: 'Short GOP',
      kind: 'rtsp',
      url: rtsp.url('/moving/main'),
      subUrl: rtsp.url('/short-gop/sub'),
    })
    await putMotion(id, { enabled: true })
    await waitFor(() => statsOf(id)?.mode === 'keyframes', 'keyframes mode', 60_000)
    await waitFor(() => motion.some((e) => e.cameraId === id && e.state === 'start'), 'motion start', 60_000)
    notePids()
    await s.deleteCamera(id)
  })

  it('restarts a decoder that dies', async () => {
    const id = await camera('Restart', 'moving')
    await putMotion(id, { enabled: true })
    await waitFor(() => (statsOf(id)?.frames ?? 0) > 3, 'frames compared', 60_000)
    const first = statsOf(id)!.decoderPid!
    process.kill(first, 'SIGKILL')
    await waitFor(() => (statsOf(id)?.restarts ?? 0) >= 1, 'restart noted')
    await waitFor(
      () => statsOf(id)?.running === true && statsOf(id)!.decoderPid !== first,
      'new decoder',
      60_000,
    )
    const frames = statsOf(id)!.frames
    await waitFor(() => statsOf(id)!.frames > frames + 3, 'frames compared again', 60_000)
    expect(statsOf(id)!.lastError).toMatch(/killed|exited/)
    notePids()
    await s.deleteCamera(id)
  })

  it('decodes the JPEGs of a push camera: motion for a moving square, none for a still one', async () => {
    const [movingFrames, stillFrames] = await Promise.all([squareJpegs(40), squareJpegs(40, true)])
    const pushMoving = await s.createCamera({ name: 'Push yard', kind: 'push' })
    const pushStill = await s.createCamera({ name: 'Push hall', kind: 'push' })
    await putMotion(pushMoving, { enabled: true })
    await putMotion(pushStill, { enabled: true })
    let i = 0
    const timer = setInterval(() => {
      const f = i++ % movingFrames.length
      void s.push(pushMoving, movingFrames[f]!)
      void s.push(pushStill, stillFrames[f]!)
    }, 100)
    try {
      await waitFor(
        () => motion.some((e) => e.cameraId === pushMoving && e.state === 'start'),
        'push motion',
        60_000,
      )
      await waitFor(() => (statsOf(pushStill)?.frames ?? 0) >= 12, 'still frames compared', 60_000)
      expect(motion.filter((e) => e.cameraId === pushStill)).toEqual([])
      expect(statsOf(pushMoving)).toMatchObject({ width: 128, height: 72, stream: 'main' })
      notePids()
    } finally {
      clearInterval(timer)
    }
  })
})

describe('stopping the station', () => {
  it('leaves no decoder running once the station has stopped', async () => {
    notePids()
    expect(pids.size).toBeGreaterThanOrEqual(4)
    stopped = true
    await s.station.close()
    for (const pid of pids) expect(alive(pid), `decoder ${pid}`).toBe(false)
  })
})
