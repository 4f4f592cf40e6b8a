/**
 * A full disk, for real: the station's `recordings` folder is an 8 MiB tmpfs (the database stays on the
 * data folder's own disk), an RTSP camera from the simulator is recorded continuously until the tmpfs is
 * full. That camera's recording stops (state `failed`, the reason names the full disk, a
 * `recording.failed` station event) while the station goes on serving its API and the camera's live video;
 * once space is freed, the recorder's retry (after 5 s, then doubling) resumes recording and indexes new
 * segments. Mounting needs root (or CAP_SYS_ADMIN): without it the test is skipped, saying why.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DomainEventMap } from '../../shared/events/domain-events'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { startVideoStation, wsClient, type VideoStation } from '../video/test-support'
import { segmentRows, until } from './recording-test-support'
import { absolutePath, recordingsRoot } from './segment-path'

const MiB = 1024 * 1024
const dataDir = mkdtempSync(join(tmpdir(), 'recording-disk-full-'))
const recordings = recordingsRoot(dataDir)
mkdirSync(recordings)

function tryMount(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', recordings], { stdio: 'pipe' })
    return undefined
  } catch (err) {
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err)
    return `cannot mount a tmpfs here (${why}): needs root or CAP_SYS_ADMIN`
  }
}
const skipReason = tryMount()
if (skipReason) console.warn(`recording-disk-full.test.ts skipped: ${skipReason}`)

let s: VideoStation | undefined
let rtsp: RtspSimServer | undefined
afterAll(async () => {
  await s?.station.close().catch(() => {})
  await rtsp?.stop()
  if (!skipReason) execFileSync('umount', [recordings])
  rmSync(dataDir, { recursive: true, force: true })
})

const freeBytes = () => {
  const v = statfsSync(recordings)
  return v.bavail * v.bsize
}

describe.skipIf(skipReason !== undefined)('a full recordings disk (8 MiB tmpfs)', () => {
  it('stops that camera with a clear state and event, the station keeps serving, and it resumes', async () => {
    const videos = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, {})
    const v = videos.main
    rtsp = await new RtspSimServer({
      streams: [{ path: '/full/main', file: v.file, fps: v.fps, width: v.width, height: v.height }],
    }).start()
    s = await startVideoStation({
      STATION_DATA_DIR: dataDir,
      STATION_RECORDING_SEGMENT_S: '2',
      // Retention's free-space reserve would free the disk by deleting footage (its own test,
      // retention/tmpfs.test.ts): here the disk stays full until the test frees it.
      STATION_RECORDINGS_RESERVE_PERCENT: '0',
    })
    const st = s
    const app = st.station.app
    const states: DomainEventMap['recording.state'][] = []
    app.domainEvents.on('recording.state', 'test', (e) => states.push(e))
    await app.recording.ready
    expect(statfsSync(recordings).blocks * statfsSync(recordings).bsize).toBe(8 * MiB)

    // Most of the disk taken by something else: the recording fills the rest within seconds.
    const ballast = join(recordings, 'ballast.bin')
    writeFileSync(ballast, Buffer.alloc(Math.max(0, freeBytes() - MiB)))
    const id = await st.createCamera({
      name: 'Loading bay',
      kind: 'rtsp',
      url: rtsp.url('/full/main'),
      recording: { mode: 'continuous' },
    })
    const rows = () => segmentRows(app.db, id)

    // 1. The disk fills: that camera's recording fails, saying why.
    const failed = await until(
      'recording failed',
      () => {
        const state = app.recording.state(id)
        return state.state === 'failed' && state
      },
      60_000,
    )
    expect(failed.lastError).toMatch(/disk is full/)
    expect(freeBytes()).toBeLessThan(MiB)
    expect(states).toContainEqual(
      expect.objectContaining({
        cameraId: id,
        state: 'failed',
        lastError: expect.stringMatching(/disk is full/),
      }),
    )
    const events = await st.eventsIncluding(id, ['recording.failed'])
    const event = events.find((e) => e.type === 'recording.failed')!
    expect(event.message).toContain('Loading bay')
    expect(event.message).toMatch(/disk is full/)
    expect(app.recording.figures().get(id)).toMatchObject({ state: 'failed' })

    // 2. The station keeps serving: its API, and the camera's live video.
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
    const cam = await app.inject({
      method: 'GET',
      url: `/api/cameras/${id}`,
      headers: { authorization: `Bearer ${st.guard}` },
    })
    expect(cam.statusCode).toBe(200)
    const viewer = await wsClient(`${st.url.replace(/^http/, 'ws')}/ws/stream/${id}?stream=main`, {
      headers: { authorization: `Bearer ${st.guard}` },
    })
    try {
      expect(viewer.status).toBe(101)
      // The init segment, then a few seconds of fragments.
      await until('live fragments', () => viewer.frames.length > 50, 20_000)
    } finally {
      viewer.close()
    }
    expect(app.recording.state(id).state).toBe('failed')

    // 3. Space is freed: the retry resumes recording and new segments are indexed.
    const before = new Set(rows().map((r) => r.id))
    const freedAt = Date.now()
    rmSync(ballast)
    await until('recording again', () => app.recording.state(id).state === 'recording', 60_000)
    await st.eventsIncluding(id, ['recording.resumed'])
    const fresh = await until(
      'a segment recorded after the resume',
      () => {
        const r = rows().filter((x) => !before.has(x.id) && x.startMs >= freedAt)
        return r.length > 0 && r
      },
      30_000,
    )
    for (const r of fresh) expect(existsSync(absolutePath(recordings, r.path))).toBe(true)
    expect(states.filter((e) => e.cameraId === id).map((e) => e.state)).toEqual(
      expect.arrayContaining(['recording', 'failed']),
    )
  }, 180_000)
})
