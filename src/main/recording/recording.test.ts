/**
 * Recording end to end, on loopback with real ffmpeg: the simulator's RTSP camera → the station's channel →
 * a recorder writing segment files (ffprobe reads each back) and the index. Continuous segments rotate at
 * key frames, play, meet end to start, and match their rows; events mode records from the pre-roll to
 * the post-roll on "record now" and on motion (with marks); `protect` protects indexed and later
 * segments; a push (JPEG) camera is recorded as H.264; a recordings folder that cannot be written stops
 * that camera (state failed, an event), the station keeps serving, and recording resumes once it can.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { sharedSimFrames } from '../video/sim/frames'
import { request, startVideoStation, type VideoStation } from '../video/test-support'
import type { DomainEventMap } from '../../shared/events/domain-events'
import { absolutePath, recordingsRoot } from './segment-path'
import { markRows, probeSegment, segmentRows, until, type Row } from './recording-test-support'

const SEGMENT_S = 2
const FRAME_MS = 40
let s: VideoStation
let rtsp: RtspSimServer
const states: DomainEventMap['recording.state'][] = []

beforeAll(async () => {
  const videos = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, {})
  const v = videos.main
  const stream = (path: string) => ({ path, file: v.file, fps: v.fps, width: v.width, height: v.height })
  rtsp = await new RtspSimServer({
    streams: [stream('/cont/main'), stream('/ev/main'), stream('/fail/main')],
  }).start()
  s = await startVideoStation({ STATION_RECORDING_SEGMENT_S: String(SEGMENT_S) })
  s.station.app.domainEvents.on('recording.state', 'test', (e) => states.push(e))
  await s.station.app.recording.ready
}, 120_000)

afterAll(async () => {
  await s?.station.close()
  await rtsp?.stop()
})

const app = () => s.station.app
const root = () => recordingsRoot(s.station.dataDir)
const rows = (id: number) => segmentRows(app().db, id)

async function camera(name: string, path: string, recording: Record<string, unknown>) {
  return s.createCamera({ name, kind: 'rtsp', url: rtsp.url(path), recording })
}

describe('continuous recording of an RTSP camera', () => {
  let id: number
  let segs: Row[]

  beforeAll(async () => {
    id = await camera('Gate', '/cont/main', { mode: 'continuous' })
    segs = await until('four segments', () => rows(id).length >= 4 && rows(id), 60_000)
  }, 90_000)

  it('answers the recording field to admins, the mode to guards', async () => {
    const get = (token: string) =>
      app().inject({
        method: 'GET',
        url: `/api/cameras/${id}`,
        headers: { authorization: `Bearer ${token}` },
      })
    expect((await get(s.admin)).json().data.recording).toEqual({
      mode: 'continuous',
      preRollS: 5,
      postRollS: 10,
      minDays: null,
      maxDays: null,
      maxBytes: null,
    })
    const guard = (await get(s.guard)).json().data
    expect(guard.recordingMode).toBe('continuous')
    expect(guard).not.toHaveProperty('recording')
  })

  it('writes segments that start at a key frame, play, and last about the segment length', async () => {
    for (const r of segs) {
      const file = absolutePath(root(), r.path)
      // Named by its start as first known (the row holds the exact start: the first segment of a run
      // settles when it ends).
      expect(r.path).toMatch(new RegExp(`^${id}/\\d{4}-\\d{2}-\\d{2}/\\d+\\.mp4$`))
      expect(statSync(file).size, r.path).toBe(r.bytes)
      const p = await probeSegment(file)
      expect(p.codec).toBe('h264')
      expect(p.firstKey, r.path).toBe(true)
      expect(p.frames, r.path).toBe(r.frames)
      expect(r.keyframes).toBeGreaterThanOrEqual(1)
      // A new segment at the first key frame after the length (GOP 1 s).
      const wallS = (r.endMs - r.startMs) / 1000
      expect(wallS).toBeGreaterThanOrEqual(SEGMENT_S - 0.05)
      expect(wallS).toBeLessThan(SEGMENT_S + 1.1)
      // Media duration and wall duration agree (playback maps one onto the other).
      expect(Math.abs(p.durationS - wallS), r.path).toBeLessThan(0.1)
    }
  })

  it('makes consecutive segments meet: the end of one is the start of the next, within a frame', () => {
    for (let i = 1; i < segs.length; i++) {
      expect(Math.abs(segs[i]!.startMs - segs[i - 1]!.endMs)).toBeLessThanOrEqual(FRAME_MS)
    }
  })

  it('publishes each indexed segment and reports figures', async () => {
    const seen: number[] = []
    const off = app().domainEvents.on('recording.segment', 'test-seg', (e) => {
      if (e.cameraId === id) seen.push(e.segmentId)
    })
    await until('a recording.segment event', () => seen.length > 0)
    off()
    expect(rows(id).map((r) => r.id)).toContain(seen[0])
    const f = app().recording.figures().get(id)
    expect(f?.state).toBe('recording')
    expect(f?.writeBytesPerSec).toBeGreaterThan(0)
  })

  it('protect() protects the segments it overlaps, and those indexed later inside the hold', async () => {
    const first = rows(id)[0]!
    const keep = Date.now() + 30 * 86_400_000
    const r = await app().recording.protect(id, first.startMs, Date.now() + 60_000, keep, 'test', {
      kind: 'alarm',
      id: '7',
    })
    expect(r.segments).toBeGreaterThanOrEqual(4)
    const before = rows(id).length
    expect(rows(id).every((x) => x.protectedUntil === keep)).toBe(true)
    await until('a later segment', () => rows(id).length > before)
    expect(rows(id).every((x) => x.protectedUntil === keep)).toBe(true)
  })
})

describe('events mode', () => {
  let id: number

  beforeAll(async () => {
    id = await camera('Yard', '/ev/main', { mode: 'events', preRollS: 2, postRollS: 1 })
    await until('waiting', () => app().recording.state(id).state === 'waiting')
    // Enough video for the pre-roll has gone past.
    await until('3 s of video', () => (app().video.channel(id)?.consumers()[0]?.sent ?? 0) > 80)
  }, 60_000)

  it('records nothing while waiting', () => {
    expect(rows(id)).toEqual([])
  })

  it('record now: from the pre-roll to the post-roll, with a manual mark; then waits again', async () => {
    const at = Date.now()
    const res = await request(
      `${s.url}/api/v1/recordings/${id}/record-now`,
      'POST',
      { authorization: `Bearer ${s.guard}`, 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ durationS: 2 })),
    )
    expect(res.status, res.body).toBe(200)
    const data = JSON.parse(res.body).data as { recordingUntil: number; markId: number }
    expect(data.recordingUntil).toBeGreaterThanOrEqual(at + 3000)
    await until('recording', () => app().recording.state(id).state === 'recording')
    await until('waiting again', () => app().recording.state(id).state === 'waiting', 30_000)
    const segs = await until('the recording indexed', () => {
      const r = rows(id)
      return r.length > 0 && r.at(-1)!.endMs >= data.recordingUntil - FRAME_MS && r
    })
    // Pre-roll: at least 2 s before, at most one GOP (1 s) more.
    expect(segs[0]!.startMs).toBeLessThanOrEqual(at - 2000 + FRAME_MS)
    expect(segs[0]!.startMs).toBeGreaterThan(at - 2000 - 1500)
    for (let i = 1; i < segs.length; i++)
      expect(Math.abs(segs[i]!.startMs - segs[i - 1]!.endMs)).toBeLessThanOrEqual(FRAME_MS)
    for (const r of segs) expect((await probeSegment(absolutePath(root(), r.path))).firstKey).toBe(true)
    expect(markRows(app().db, id)).toContainEqual(
      expect.objectContaining({ kind: 'manual', ref: 'guard1', startMs: expect.any(Number) }),
    )
  })

  it('motion triggers it, marks it, and flags the segments', async () => {
    const before = rows(id).length
    const at = Date.now()
    app().domainEvents.publish({ type: 'camera.motion', cameraId: id, state: 'start', area: 0.2, at })
    await until('recording', () => app().recording.state(id).state === 'recording')
    await until('a segment with motion', () => rows(id).length > before)
    app().domainEvents.publish({
      type: 'camera.motion',
      cameraId: id,
      state: 'end',
      area: 0.3,
      at: Date.now(),
    })
    await until('waiting again', () => app().recording.state(id).state === 'waiting', 30_000)
    await until('all indexed', () => rows(id).at(-1)!.endMs > at)
    const motionSegs = rows(id).slice(before)
    expect(motionSegs.every((r) => r.motion === 1)).toBe(true)
    const mark = await until('the motion mark ended', () =>
      markRows(app().db, id).find((m) => m.kind === 'motion' && m.endMs !== null),
    )
    expect(mark).toMatchObject({ startMs: at, area: 0.3 })
  })

  it('record-now refuses an unknown camera and anonymous callers', async () => {
    const anon = await app().inject({ method: 'POST', url: `/api/v1/recordings/${id}/record-now` })
    expect(anon.statusCode).toBe(401)
    const unknown = await app().inject({
      method: 'POST',
      url: `/api/v1/recordings/99999/record-now`,
      headers: { authorization: `Bearer ${s.guard}` },
    })
    expect(unknown.statusCode).toBe(404)
  })
})

describe('a push (JPEG) camera', () => {
  it('is recorded as H.264 segments that play', async () => {
    const id = await s.createCamera({
      name: 'Door',
      kind: 'push',
      fps: 10,
      recording: { mode: 'continuous' },
    })
    const frames = sharedSimFrames()
    let seq = 0
    let pushing = true
    const pump = (async () => {
      while (pushing) {
        await s.push(id, frames.frame(seq++, Date.now(), 'door'))
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    try {
      const segs = await until('two JPEG camera segments', () => rows(id).length >= 2 && rows(id), 60_000)
      for (const r of segs) {
        const p = await probeSegment(absolutePath(root(), r.path))
        expect(p.codec).toBe('h264')
        expect(p.firstKey).toBe(true)
        expect(p.frames).toBe(r.frames)
        expect(r.codec).toMatch(/^avc1\./)
      }
      expect(Math.abs(segs[1]!.startMs - segs[0]!.endMs)).toBeLessThanOrEqual(150)
    } finally {
      pushing = false
      await pump
    }
  }, 90_000)
})

describe('a recordings folder that cannot be written', () => {
  it('stops that camera (failed, an event), the station keeps serving, and it resumes', async () => {
    const id = await camera('Dock', '/fail/main', { mode: 'continuous' })
    await until('a first segment', () => rows(id).length >= 1)
    // The camera's folder replaced by a file: the next segment cannot be created.
    const dir = `${root()}/${id}`
    rmSync(dir, { recursive: true, force: true })
    writeFileSync(dir, 'not a folder')
    await until('failed', () => app().recording.state(id).state === 'failed', 30_000)
    expect(states).toContainEqual(
      expect.objectContaining({
        cameraId: id,
        state: 'failed',
        lastError: expect.stringContaining('folder'),
      }),
    )
    const events = await s.eventsIncluding(id, ['recording.failed'])
    expect(events.find((e) => e.type === 'recording.failed')?.message).toContain('Dock')
    // Everything else goes on.
    const health = await app().inject({ method: 'GET', url: '/api/health' })
    expect(health.statusCode).toBe(200)
    expect(app().recording.state(id).state).toBe('failed')
    // The disk is usable again: recording resumes (retried after 5 s).
    rmSync(dir, { force: true })
    mkdirSync(dir)
    await until('recording again', () => app().recording.state(id).state === 'recording', 30_000)
    await until('a new segment', () => rows(id).some((r) => existsSync(absolutePath(root(), r.path))), 30_000)
    await s.eventsIncluding(id, ['recording.resumed'])
  }, 90_000)
})
