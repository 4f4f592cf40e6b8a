/** Helpers for the recording tests: the index as rows, ffprobe of a segment file. Test code only. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Db } from '../database/open'

const run = promisify(execFile)

export interface Row {
  id: number
  cameraId: number
  startMs: number
  endMs: number
  bytes: number
  path: string
  keyframes: number
  frames: number
  codec: string | null
  motion: number
  protectedUntil: number | null
}

export function segmentRows(db: Db, cameraId: number): Row[] {
  return db
    .prepare<[number], Row>(
      `SELECT id, camera_id AS cameraId, start_ms AS startMs, end_ms AS endMs, bytes, path, keyframes, frames,
              codec, motion, protected_until AS protectedUntil
         FROM recording_segments WHERE camera_id = ? ORDER BY start_ms`,
    )
    .all(cameraId)
}

export function markRows(db: Db, cameraId: number) {
  return db
    .prepare<
      [number],
      { kind: string; startMs: number; endMs: number | null; area: number | null; ref: string | null }
    >(
      `SELECT kind, start_ms AS startMs, end_ms AS endMs, area, ref FROM recording_marks WHERE camera_id = ?
        ORDER BY id`,
    )
    .all(cameraId)
}

export interface Probe {
  codec: string
  frames: number
  durationS: number
  firstKey: boolean
}

/** ffprobe of a segment file: codec, decoded frames, duration, whether its first packet is a key frame. */
export async function probeSegment(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,nb_read_frames',
    '-of',
    'json',
    file,
  ])
  const j = JSON.parse(stdout) as {
    streams: { codec_name: string; nb_read_frames: string }[]
  }
  const packets = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,duration_time,flags',
    '-of',
    'csv=p=0',
    file,
  ])
  // Media duration: from the first packet's time to the end of the last (timestamps continue across the
  // segments of one run: a file does not start at 0).
  const list = packets.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(','))
    .map(([pts, dur, flags]) => ({ pts: Number(pts), dur: Number(dur), key: flags?.includes('K') ?? false }))
  const pts = list.map((p) => p.pts)
  const last = list.reduce((a, b) => (b.pts > a.pts ? b : a), list[0]!)
  return {
    codec: j.streams[0]?.codec_name ?? '',
    frames: Number(j.streams[0]?.nb_read_frames ?? 0),
    durationS: last.pts + last.dur - Math.min(...pts),
    firstKey: list[0]?.key ?? false,
  }
}

/** Polls `cond` (async allowed) until it holds, within `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
