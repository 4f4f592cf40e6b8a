/**
 * Crash safety: a headless station process records an RTSP camera and is killed with SIGKILL mid-segment.
 * Before the restart a garbage file, an orphan init-only file and a missing file (a row without its file)
 * are added. After the restart the interrupted segment is truncated after its last whole fragment and
 * indexed with its real end (at most about 2 s before the kill), the garbage is gone, the row without a
 * file is gone, and every row matches its file. An orderly stop then leaves no file without its row.
 */
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminToken, startStationProcess, type StationProcess } from '../devices/station-process'
import { databasePath } from '../database/open'
import { RtspSimServer } from '../video/sim/rtsp-server'
import { rtspCameraVideos } from '../video/sim/rtsp-cameras'
import { absolutePath, recordingsRoot } from './segment-path'
import { probeSegment, until } from './recording-test-support'

const dataDir = mkdtempSync(join(tmpdir(), 'station-rec-crash-'))
const root = recordingsRoot(dataDir)
const procs: StationProcess[] = []
let rtsp: RtspSimServer

interface Row {
  id: number
  startMs: number
  endMs: number
  bytes: number
  path: string
  frames: number
}

function rows(cameraId: number): Row[] {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare<[number], Row>(
        `SELECT id, start_ms AS startMs, end_ms AS endMs, bytes, path, frames FROM recording_segments
          WHERE camera_id = ? ORDER BY start_ms`,
      )
      .all(cameraId)
  } finally {
    db.close()
  }
}

/** Segment files of a camera on disk, relative to the recordings folder. */
function files(cameraId: number): string[] {
  const dir = join(root, String(cameraId))
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((day) => readdirSync(join(dir, day)).map((f) => `${cameraId}/${day}/${f}`))
}

beforeAll(async () => {
  const videos = await rtspCameraVideos({ width: 640, height: 360, fps: 25, durationS: 4 }, {})
  const v = videos.main
  rtsp = await new RtspSimServer({
    streams: [{ path: '/crash/main', file: v.file, fps: v.fps, width: v.width, height: v.height }],
  }).start()
}, 120_000)

afterAll(async () => {
  for (const p of procs) p.child.kill('SIGKILL')
  await rtsp?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('recording across kill -9', () => {
  it('repairs the interrupted segment, drops garbage and rows without files, and the index matches the files', async () => {
    const first = await startStationProcess(dataDir, { STATION_RECORDING_SEGMENT_S: '4' })
    procs.push(first)
    const token = await adminToken(first.url)
    const res = await fetch(`${first.url}/api/cameras`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Crash cam',
        kind: 'rtsp',
        url: rtsp.url('/crash/main'),
        allowLocal: true,
        recording: { mode: 'continuous' },
      }),
    })
    expect(res.status).toBe(201)
    const id = ((await res.json()) as { data: { id: number } }).data.id
    // Two segments indexed, and the third well under way (more than 2 s written).
    const open = await until(
      'a segment under way',
      () => {
        const indexed = rows(id)
        if (indexed.length < 2) return undefined
        const known = new Set(indexed.map((r) => r.path))
        const partial = files(id).find((f) => !known.has(f))
        if (!partial) return undefined
        const started = Number(/(\d+)\.mp4$/.exec(partial)?.[1])
        return Date.now() - started > 2500 ? partial : undefined
      },
      60_000,
    )
    const killedAt = Date.now()
    first.child.kill('SIGKILL')
    await first.exited
    const sizeAtKill = statSync(absolutePath(root, open)).size

    // What else a crash (or a person) may leave: garbage, an init segment alone, a row without its file.
    const day = open.split('/')[1]!
    const garbage = `${id}/${day}/${killedAt - 100_000}.mp4`
    writeFileSync(absolutePath(root, garbage), Buffer.alloc(5000, 7))
    const before = rows(id)
    const lost = before[0]!
    unlinkSync(absolutePath(root, lost.path))

    const second = await startStationProcess(dataDir, { STATION_RECORDING_SEGMENT_S: '4' })
    procs.push(second)
    const repaired = await until('the interrupted segment indexed', () =>
      rows(id).find((r) => r.path === open),
    )
    expect(repaired.bytes).toBeLessThanOrEqual(sizeAtKill)
    expect(statSync(absolutePath(root, open)).size).toBe(repaired.bytes)
    // At most about 2 s lost (the last fsync): its real end is close to the kill.
    expect(repaired.endMs).toBeGreaterThan(killedAt - 2500)
    expect(repaired.endMs).toBeLessThanOrEqual(killedAt + 100)
    const p = await probeSegment(absolutePath(root, open))
    expect(p.firstKey).toBe(true)
    expect(p.frames).toBe(repaired.frames)
    expect(Math.abs(p.durationS - (repaired.endMs - repaired.startMs) / 1000)).toBeLessThan(0.1)

    expect(existsSync(absolutePath(root, garbage))).toBe(false)
    expect(rows(id).some((r) => r.id === lost.id)).toBe(false)
    // Every row has its file, of its size (the segment being written now has no row yet).
    for (const r of rows(id)) expect(statSync(absolutePath(root, r.path)).size, r.path).toBe(r.bytes)
    const unindexed = files(id).filter((f) => !rows(id).some((r) => r.path === f))
    expect(unindexed.length).toBeLessThanOrEqual(1)

    // An orderly stop finishes the open segment: afterwards every file has its row, of its size.
    second.child.kill('SIGTERM')
    expect((await second.exited).code).toBe(0)
    const final = rows(id)
    expect(files(id).sort()).toEqual(final.map((r) => r.path).sort())
    for (const r of final) expect(statSync(absolutePath(root, r.path)).size, r.path).toBe(r.bytes)
  }, 180_000)
})
