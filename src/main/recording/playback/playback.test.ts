/**
 * Playback routes against a real station with recorded footage (segment-fixture.test-support.ts: real
 * ffmpeg H.264 cut at keyframes, tfdt continuing across a run's segments and restarting with the next run):
 * the timeline merges adjacent segments and splits at gaps, segments answer with their URLs, files stream
 * with byte ranges, and only signed-in users (guards included) get any of it.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../../server/test-helper'
import { addMark, recordFixture, type RecordedFixture } from './segment-fixture.test-support'

const T0 = Date.UTC(2026, 2, 1, 2, 0, 0)
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

describe('playback routes', () => {
  let st: TestStation
  let guard: string
  let rec: RecordedFixture

  beforeAll(async () => {
    st = await createTestStation()
    guard = await st.guardToken()
    // Two runs of camera 1: 30 s from T0 (three segments), then 20 s from T0 + 40 s (a 10 s gap).
    rec = await recordFixture(st.app.db, st.dataDir, 1, [
      { start: T0, seconds: 30 },
      { start: T0 + 40_000, seconds: 20 },
    ])
    addMark(st.app.db, { cameraId: 1, kind: 'motion', start: T0 + 5000, end: T0 + 8000, area: 0.2 })
    addMark(st.app.db, { cameraId: 1, kind: 'alarm', start: T0 + 45_000, end: null, ref: 'alarm 7' })
    addMark(st.app.db, { cameraId: 2, kind: 'motion', start: T0 + 5000, end: T0 + 6000 })
  }, 60_000)
  afterAll(() => st.close())

  const get = (url: string, headers: Record<string, string> = bearer(guard)) =>
    st.app.inject({ method: 'GET', url, headers })

  it('the fixture is what the recorder writes: 10 s segments at keyframes, a new run restarts tfdt', () => {
    expect(rec.segments.map((s) => [s.start - T0, s.end - T0])).toEqual([
      [0, 10_000],
      [10_000, 20_000],
      [20_000, 30_000],
      [40_000, 50_000],
      [50_000, 60_000],
    ])
    expect(rec.segments.map((s) => s.firstDtsS)).toEqual([0, 10, 20, 0, 10])
    expect(rec.segments.every((s) => s.frames === 250 && s.keyframes === 10)).toBe(true)
  })

  it('merges adjacent segments into ranges, splits at the gap, and lists the marks in range', async () => {
    const res = await get(`/api/v1/recordings?cameraId=1&from=${T0 - 60_000}&to=${T0 + 120_000}`)
    expect(res.statusCode).toBe(200)
    const data = res.json().data
    expect(data.ranges).toEqual([
      { start: T0, end: T0 + 30_000 },
      { start: T0 + 40_000, end: T0 + 60_000 },
    ])
    expect(data.marks).toEqual([
      { id: expect.any(Number), kind: 'motion', start: T0 + 5000, end: T0 + 8000, area: 0.2, ref: null },
      { id: expect.any(Number), kind: 'alarm', start: T0 + 45_000, end: null, area: null, ref: 'alarm 7' },
    ])
  })

  it('clips ranges to the range asked for, and keeps a lasting mark that began before it', async () => {
    const res = await get(`/api/v1/recordings?cameraId=1&from=${T0 + 15_000}&to=${T0 + 55_000}`)
    const data = res.json().data
    expect(data.ranges).toEqual([
      { start: T0 + 15_000, end: T0 + 30_000 },
      { start: T0 + 40_000, end: T0 + 55_000 },
    ])
    expect(data.marks.map((m: { kind: string }) => m.kind)).toEqual(['alarm'])
  })

  it('a gap of 1.5 frames splits; a smaller one (a frame of jitter) does not', async () => {
    const base = T0 + 86_400_000
    const row = st.app.db.prepare(
      `INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, keyframes, frames, created_at)
       VALUES (3, ?, ?, 1, ?, 1, 250, 0)`,
    )
    // 25 fps: a frame is 40 ms, 1.5 frames 60 ms.
    row.run(base, base + 10_000, 'x/a.mp4')
    row.run(base + 10_040, base + 20_000, 'x/b.mp4')
    row.run(base + 20_070, base + 30_000, 'x/c.mp4')
    const res = await get(`/api/v1/recordings?cameraId=3&from=${base}&to=${base + 60_000}`)
    expect(res.json().data.ranges).toEqual([
      { start: base, end: base + 20_000 },
      { start: base + 20_070, end: base + 30_000 },
    ])
  })

  it('answers the segments of a range with their URLs, oldest first, bounded by limit', async () => {
    const res = await get(`/api/v1/recordings/segments?cameraId=1&from=${T0 + 15_000}&to=${T0 + 45_000}`)
    expect(res.statusCode).toBe(200)
    const segs = res.json().data
    expect(segs.map((s: { start: number }) => s.start - T0)).toEqual([10_000, 20_000, 40_000])
    expect(segs[0]).toEqual({
      id: rec.segments[1]!.id,
      cameraId: 1,
      start: T0 + 10_000,
      end: T0 + 20_000,
      bytes: rec.segments[1]!.bytes,
      keyframes: 10,
      codec: rec.codec,
      width: 320,
      height: 240,
      motion: false,
      protectedUntil: null,
      url: `/api/v1/recordings/segments/${rec.segments[1]!.id}.mp4`,
    })
    const limited = await get(`/api/v1/recordings/segments?cameraId=1&from=${T0}&to=${T0 + 60_000}&limit=2`)
    expect(limited.json().data).toHaveLength(2)
  })

  it('refuses ranges that are empty, reversed or over a month, and limits over the bound', async () => {
    const month = 32 * 86_400_000
    for (const url of [
      `/api/v1/recordings?cameraId=1&from=${T0}&to=${T0}`,
      `/api/v1/recordings?cameraId=1&from=${T0}&to=${T0 - 1}`,
      `/api/v1/recordings?cameraId=1&from=${T0}&to=${T0 + month}`,
      `/api/v1/recordings/segments?cameraId=1&from=${T0}&to=${T0 + month}`,
      `/api/v1/recordings/segments?cameraId=1&from=${T0}&to=${T0 + 1000}&limit=501`,
      `/api/v1/recordings?cameraId=0&from=${T0}&to=${T0 + 1000}`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(400)
    }
  })

  it('streams a segment file whole and by byte ranges, with an ETag', async () => {
    const seg = rec.segments[0]!
    const bytes = readFileSync(seg.file)
    const whole = await get(`/api/v1/recordings/segments/${seg.id}.mp4`)
    expect(whole.statusCode).toBe(200)
    expect(whole.headers['content-type']).toBe('video/mp4')
    expect(whole.headers['accept-ranges']).toBe('bytes')
    expect(Number(whole.headers['content-length'])).toBe(bytes.length)
    expect(whole.rawPayload.equals(bytes)).toBe(true)
    const etag = String(whole.headers.etag)

    const part = await get(`/api/v1/recordings/segments/${seg.id}.mp4`, {
      ...bearer(guard),
      range: 'bytes=100-199',
    })
    expect(part.statusCode).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`)
    expect(part.rawPayload.equals(bytes.subarray(100, 200))).toBe(true)

    const tail = await get(`/api/v1/recordings/segments/${seg.id}.mp4`, {
      ...bearer(guard),
      range: 'bytes=-10',
    })
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 10))).toBe(true)
    const open = await get(`/api/v1/recordings/segments/${seg.id}.mp4`, {
      ...bearer(guard),
      range: 'bytes=1000-',
    })
    expect(open.rawPayload.equals(bytes.subarray(1000))).toBe(true)

    const beyond = await get(`/api/v1/recordings/segments/${seg.id}.mp4`, {
      ...bearer(guard),
      range: `bytes=${bytes.length}-`,
    })
    expect(beyond.statusCode).toBe(416)
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`)

    const cached = await get(`/api/v1/recordings/segments/${seg.id}.mp4`, {
      ...bearer(guard),
      'if-none-match': etag,
    })
    expect(cached.statusCode).toBe(304)
  })

  it('a missing segment or file is 404', async () => {
    expect((await get('/api/v1/recordings/segments/999999.mp4')).statusCode).toBe(404)
    // Indexed above (camera 3) without a file.
    const row = st.app.db.prepare('SELECT id FROM recording_segments WHERE camera_id = 3').get() as {
      id: number
    }
    expect((await get(`/api/v1/recordings/segments/${row.id}.mp4`)).statusCode).toBe(404)
  })

  it('needs a signed-in user: none is 401, a guard may; a <video> may use a stream token', async () => {
    const seg = rec.segments[0]!
    const urls = [
      `/api/v1/recordings?cameraId=1&from=${T0}&to=${T0 + 1000}`,
      `/api/v1/recordings/segments?cameraId=1&from=${T0}&to=${T0 + 1000}`,
      `/api/v1/recordings/segments/${seg.id}.mp4`,
    ]
    for (const url of urls) {
      expect((await get(url, {})).statusCode, url).toBe(401)
      expect((await get(url)).statusCode, url).toBe(200)
    }
    const token = (
      await st.app.inject({
        method: 'POST',
        url: '/api/v1/stream/token',
        headers: bearer(guard),
        payload: {},
      })
    ).json().data.token as string
    expect((await get(`/api/v1/recordings/segments/${seg.id}.mp4?token=${token}`, {})).statusCode).toBe(200)
    expect((await get(`/api/v1/recordings/segments/${seg.id}.mp4?token=nope`, {})).statusCode).toBe(401)
    // A stream token opens files only, not the JSON routes.
    expect((await get(`${urls[0]}&token=${token}`, {})).statusCode).toBe(401)
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json', {})).json()
    for (const p of [
      '/api/v1/recordings',
      '/api/v1/recordings/segments',
      '/api/v1/recordings/segments/{id}.mp4',
      '/api/v1/recordings/{cameraId}/exports',
      '/api/v1/recordings/exports/{id}',
      '/api/v1/recordings/exports/{id}/file',
      '/api/v1/recordings/{cameraId}/export.mp4',
    ]) {
      expect(doc.paths[p], p).toBeDefined()
    }
  })
})
