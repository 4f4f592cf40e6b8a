/**
 * The recording path end to end, across the recorder, playback and export (each is tested on its own
 * elsewhere; this checks they agree): an RTSP camera from the simulator recorded continuously by the
 * station → the timeline shows one unbroken range over its segments → the segments list names each file
 * and a guard fetches one → an export of the range plays in ffprobe with the right duration and frames →
 * storage figures count the camera's bytes. Real ffmpeg on loopback.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { request, startVideoStation, type VideoStation } from '../video/test-support'
import { segmentRows, until } from './recording-test-support'

let s: VideoStation
let rtsp: RtspSimServer
const tmp = mkdtempSync(join(tmpdir(), 'record-to-export-'))

beforeAll(async () => {
  const { main } = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, false)
  rtsp = await new RtspSimServer({
    streams: [{ path: '/rec/main', file: main.file, fps: main.fps, width: main.width, height: main.height }],
  }).start()
  s = await startVideoStation({ STATION_RECORDING_SEGMENT_S: '2' })
  await s.station.app.recording.ready
}, 120_000)

afterAll(async () => {
  await s?.station.close()
  await rtsp?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

const get = async (path: string) => {
  const res = await request(`${s.url}${path}`, 'GET', { authorization: `Bearer ${s.guard}` })
  return { ...res, json: () => JSON.parse(res.body) as { data: unknown } }
}

function ffprobe(file: string): Promise<{ duration: number; frames: number; codec: string }> {
  return new Promise((resolve, reject) =>
    execFile(
      'ffprobe',
      [
        ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
        ...['-show_entries', 'stream=codec_name,nb_read_packets:format=duration', '-of', 'json', file],
      ],
      (err, stdout) => {
        if (err) return reject(err)
        const j = JSON.parse(stdout) as {
          streams: { codec_name: string; nb_read_packets: string }[]
          format: { duration: string }
        }
        resolve({
          duration: Number(j.format.duration),
          frames: Number(j.streams[0]!.nb_read_packets),
          codec: j.streams[0]!.codec_name,
        })
      },
    ),
  )
}

describe('recorded footage', () => {
  it('is one range on the timeline, fetchable per segment, and exports as a playable MP4', async () => {
    const id = await s.createCamera({
      name: 'Yard',
      kind: 'rtsp',
      url: rtsp.url('/rec/main'),
      recording: { mode: 'continuous' },
    })
    const rows = await until(
      'four segments',
      () => {
        const r = segmentRows(s.station.app.db, id)
        return r.length >= 4 && r
      },
      60_000,
    )
    const from = rows[0]!.startMs
    const to = rows[3]!.endMs

    const timeline = (await get(`/api/v1/recordings?cameraId=${id}&from=${from}&to=${to}`)).json().data as {
      ranges: { start: number; end: number }[]
    }
    // Consecutive segments of one ffmpeg run meet: the timeline shows no gap.
    expect(timeline.ranges).toEqual([{ start: from, end: to }])

    const segments = (await get(`/api/v1/recordings/segments?cameraId=${id}&from=${from}&to=${to}`)).json()
      .data as { url: string; start: number }[]
    expect(segments.map((x) => x.start).slice(0, 4)).toEqual(rows.slice(0, 4).map((r) => r.startMs))
    const file = await get(segments[1]!.url)
    expect(file.status).toBe(200)
    expect(file.headers['content-type']).toMatch(/video\/mp4/)
    writeFileSync(join(tmp, 'segment.mp4'), file.raw)
    const seg = await ffprobe(join(tmp, 'segment.mp4'))
    expect(seg.codec).toBe('h264')
    expect(seg.frames).toBe(rows[1]!.frames)

    const exported = await get(`/api/v1/recordings/${id}/export.mp4?from=${from}&to=${to}`)
    expect(exported.status).toBe(200)
    writeFileSync(join(tmp, 'export.mp4'), exported.raw)
    const out = await ffprobe(join(tmp, 'export.mp4'))
    const frames = rows.slice(0, 4).reduce((n, r) => n + r.frames, 0)
    expect(out.codec).toBe('h264')
    // Cut at key frames at or before `from`: the export holds at least the range's frames, at 25 fps.
    expect(out.frames).toBeGreaterThanOrEqual(frames - 1)
    expect(Math.abs(out.duration - out.frames / 25)).toBeLessThan(0.2)

    const storage = (await get('/api/v1/recordings/storage')).json().data as {
      cameras: { cameraId: number; bytes: number; segments: number }[]
    }
    const mine = storage.cameras.find((c) => c.cameraId === id)!
    expect(mine.segments).toBeGreaterThanOrEqual(4)
    expect(mine.bytes).toBeGreaterThan(0)
  })
})
