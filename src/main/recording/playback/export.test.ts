/**
 * Exports against a real station and real ffmpeg: the MP4 of a range (ffprobe: duration, frame count,
 * faststart, the station's, camera's and times' metadata), across segment boundaries and a restart of the
 * camera's ffmpeg (tfdt from 0 again), as a job with progress and as one request; bounds (per user, queue)
 * with Retry-After; temporary files always removed.
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, type TestStation } from '../../server/test-helper'
import { ExportService } from './export-service'
import { recordFixture } from './segment-fixture.test-support'

const run = promisify(execFile)
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0)
const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

async function probe(file: string) {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=nb_read_frames,codec_name:format=duration,format_name:format_tags'],
    ...['-of', 'json', file],
  ])
  const j = JSON.parse(stdout) as {
    streams: { nb_read_frames: string; codec_name: string }[]
    format: { duration: string; format_name: string; tags: Record<string, string> }
  }
  return {
    frames: Number(j.streams[0]!.nb_read_frames),
    codec: j.streams[0]!.codec_name,
    duration: Number(j.format.duration),
    format: j.format.format_name,
    tags: j.format.tags,
  }
}

/** Whether the moov box comes before the mdat (faststart: players start before the whole file is in). */
function moovFirst(data: Buffer): boolean {
  for (let at = 0; at + 8 <= data.length;) {
    const type = data.toString('latin1', at + 4, at + 8)
    if (type === 'moov') return true
    if (type === 'mdat') return false
    at += data.readUInt32BE(at)
  }
  return false
}

describe('exports', () => {
  let st: TestStation
  let guard: string
  let cameraId: number
  const out = mkdtempSync(path.join(tmpdir(), 'gs-export-test-'))

  beforeAll(async () => {
    st = await createTestStation()
    guard = await st.guardToken()
    const admin = await st.login()
    const cam = await st.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: bearer(admin),
      payload: { name: 'Gate 2', kind: 'push' },
    })
    expect(cam.statusCode).toBe(201)
    cameraId = cam.json().data.id
    await recordFixture(st.app.db, st.dataDir, cameraId, [
      { start: T0, seconds: 30 },
      { start: T0 + 40_000, seconds: 20 },
    ])
  }, 60_000)
  afterAll(async () => {
    await st.close()
    rmSync(out, { recursive: true, force: true })
  })

  const tmpLeft = () => {
    const dir = path.join(st.dataDir, 'exports-tmp')
    return existsSync(dir) ? readdirSync(dir) : []
  }

  async function exportJob(from: number, to: number, token = guard) {
    const res = await st.app.inject({
      method: 'POST',
      url: `/api/v1/recordings/${cameraId}/exports`,
      headers: bearer(token),
      payload: { from, to },
    })
    expect(res.statusCode, res.body).toBe(202)
    let job = res.json().data
    const seen: number[] = [job.progress]
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50))
      job = (
        await st.app.inject({ url: `/api/v1/recordings/exports/${job.id}`, headers: bearer(token) })
      ).json().data
      seen.push(job.progress)
    }
    return { job, seen }
  }

  it('exports a range as a job: progress, then a faststart MP4 whose duration and frames match', async () => {
    const { job, seen } = await exportJob(T0 + 5000, T0 + 25_000)
    expect(job).toMatchObject({
      state: 'done',
      progress: 1,
      cameraName: 'Gate 2',
      recordedMs: 20_000,
      error: null,
      downloadUrl: `/api/v1/recordings/exports/${job.id}/file`,
    })
    expect(job.fileName).toMatch(/^Gate-2_2026-03-0[12]_\d{6}-\d{6}\.mp4$/)
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true)

    const file = await st.app.inject({ url: job.downloadUrl, headers: bearer(guard) })
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('video/mp4')
    expect(file.headers['content-disposition']).toContain(`filename="${job.fileName}"`)
    expect(file.rawPayload.length).toBe(job.bytes)
    expect(moovFirst(file.rawPayload)).toBe(true)
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(job.sha256)

    const f = path.join(out, 'job.mp4')
    writeFileSync(f, file.rawPayload)
    const p = await probe(f)
    expect(p.codec).toBe('h264')
    expect(p.frames).toBe(500)
    expect(p.duration).toBeCloseTo(20, 1)
    expect(p.tags.title).toContain('Gate 2')
    expect(p.tags.title).toMatch(/^Guard Station .+ · Gate 2 · 2026-03-0\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d to /)
    expect(p.tags.comment).toContain(`Camera: Gate 2 (id ${cameraId})`)
    expect(p.tags.comment).toContain('Recorded in it')
    expect(p.tags.creation_time).toBe(new Date(T0 + 5000).toISOString().replace('Z', '000Z'))
  })

  it('spans a restart of the camera (tfdt from 0 again) and leaves the gap out', async () => {
    // 10 s before the gap, 10 s after it.
    const { job } = await exportJob(T0 + 20_000, T0 + 50_000)
    expect(job.recordedMs).toBe(20_000)
    const file = await st.app.inject({ url: job.downloadUrl, headers: bearer(guard) })
    const f = path.join(out, 'gap.mp4')
    writeFileSync(f, file.rawPayload)
    const p = await probe(f)
    expect(p.frames).toBe(500)
    expect(p.duration).toBeCloseTo(20, 1)
  })

  it('answers the one-request export.mp4 with a stream token, and removes its temporary file', async () => {
    const token = (
      await st.app.inject({
        method: 'POST',
        url: '/api/v1/stream/token',
        headers: bearer(guard),
        payload: {},
      })
    ).json().data.token as string
    // Jobs of the tests above keep their files (repeat downloads) until they expire.
    const kept = tmpLeft()
    const res = await st.app.inject({
      url: `/api/v1/recordings/${cameraId}/export.mp4?from=${T0}&to=${T0 + 10_000}&token=${token}`,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(Number(res.headers['x-estimated-bytes'])).toBeGreaterThan(0)
    expect(res.headers['x-content-sha256']).toMatch(/^[a-f0-9]{64}$/)
    const f = path.join(out, 'one.mp4')
    writeFileSync(f, res.rawPayload)
    expect((await probe(f)).frames).toBe(250)
    await expect.poll(tmpLeft).toEqual(kept)
  })

  it('refuses what it cannot export: nothing recorded, a reversed or too long range; guards only see their own', async () => {
    const post = (payload: object, token = guard) =>
      st.app.inject({
        method: 'POST',
        url: `/api/v1/recordings/${cameraId}/exports`,
        headers: bearer(token),
        payload,
      })
    expect((await post({ from: T0 + 31_000, to: T0 + 39_000 })).json().code).toBe('NO_RECORDING')
    expect((await post({ from: T0 + 1000, to: T0 })).statusCode).toBe(400)
    expect((await post({ from: T0, to: T0 + 25 * 3_600_000 })).statusCode).toBe(400)
    expect(
      (
        await st.app.inject({
          method: 'POST',
          url: `/api/v1/recordings/${cameraId}/exports`,
          payload: { from: T0, to: T0 + 1 },
        })
      ).statusCode,
    ).toBe(401)

    const kept = tmpLeft()
    const { job } = await exportJob(T0, T0 + 2000)
    const admin = await st.login()
    await st.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { username: 'guard2', password: 'guard-password-2', role: 'guard' },
    })
    const other = await st.login('guard2', 'guard-password-2')
    expect(
      (await st.app.inject({ url: `/api/v1/recordings/exports/${job.id}`, headers: bearer(other) }))
        .statusCode,
    ).toBe(404)
    expect(
      (await st.app.inject({ url: `/api/v1/recordings/exports/${job.id}`, headers: bearer(admin) }))
        .statusCode,
    ).toBe(200)
    const removed = await st.app.inject({
      method: 'DELETE',
      url: `/api/v1/recordings/exports/${job.id}`,
      headers: bearer(guard),
    })
    expect(removed.statusCode).toBe(200)
    expect((await st.app.inject({ url: job.downloadUrl, headers: bearer(guard) })).statusCode).toBe(404)
    await expect.poll(tmpLeft).toEqual(kept)
  })
})

describe('ExportService bounds', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-export-bounds-'))
  // An "ffmpeg" that takes its time: the bounds are about jobs that are still running.
  const slow = path.join(dir, 'slow-ffmpeg.sh')
  writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n')
  chmodSync(slow, 0o755)
  const seg = path.join(dir, 'seg.mp4')
  writeFileSync(seg, 'x')
  const log = { warn: () => {}, info: () => {} }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const service = (o: { maxRunning?: number; maxQueued?: number; perUser?: number } = {}) =>
    new ExportService({
      ffmpeg: async () => ({ path: slow }),
      segments: async (_c, from) => [{ start: from, end: from + 10_000, bytes: 1000, file: seg }],
      cameraName: () => 'Cam',
      stationName: 'Test',
      tmpDir: path.join(dir, `tmp-${Math.random().toString(36).slice(2)}`),
      log,
      ...o,
    })
  const alice = { username: 'alice', admin: false }
  const bob = { username: 'bob', admin: false }

  it('runs at most maxRunning, queues maxQueued, then 503 with Retry-After; per user 429', async () => {
    const s = service({ maxRunning: 1, maxQueued: 1, perUser: 2 })
    const a = await s.start(alice, 1, 0, 5000)
    const b = await s.start(bob, 1, 0, 5000)
    expect(a.state).toBe('running')
    expect(b).toMatchObject({ state: 'queued', queuePosition: 1 })
    await expect(s.start(bob, 1, 0, 5000)).rejects.toMatchObject({
      statusCode: 503,
      code: 'EXPORTS_BUSY',
      headers: { 'retry-after': '10' },
    })
    await s.cancel(b.id, bob)
    await s.start(alice, 1, 0, 5000)
    await expect(s.start(alice, 1, 0, 5000)).rejects.toMatchObject({
      statusCode: 429,
      code: 'TOO_MANY_EXPORTS',
    })
    expect(s.stats()).toMatchObject({ running: 1, queued: 1, refused: 2 })
    await s.close()
  })

  it('cancelling kills the ffmpeg and removes its files; close removes the folder', async () => {
    const s = service()
    const a = await s.start(alice, 1, 0, 5000)
    await expect.poll(() => s.get(a.id, alice)?.state).toBe('running')
    const cancelled = await s.cancel(a.id, alice)
    expect(cancelled?.state).toBe('cancelled')
    await s.wait(a.id)
    const tmpDirs = readdirSync(dir).filter((n) => n.startsWith('tmp-'))
    expect(tmpDirs.flatMap((t) => readdirSync(path.join(dir, t)))).toEqual([])
    const b = await s.start(alice, 1, 0, 5000)
    await expect.poll(() => s.get(b.id, alice)?.state).toBe('running')
    await s.close()
    expect(s.get(b.id, alice)).toBeUndefined()
    expect(readdirSync(dir).filter((n) => n.startsWith('tmp-'))).toEqual([])
  })
})
