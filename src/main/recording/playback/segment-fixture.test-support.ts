/**
 * Recorded footage for tests (test code only), shaped as the recorder writes it: each segment file is a
 * standalone fragmented MP4 (init segment, then one moof+mdat per frame) that starts at a keyframe, under
 * `<dataDir>/recordings/<cameraId>/<YYYY-MM-DD>/<start>.mp4`, with its row in `recording_segments`.
 *
 * One `run` is one ffmpeg encode cut at keyframes into segments of about `segmentS` seconds: its media
 * timestamps (tfdt) continue across its segments, and start again at 0 with the next run, exactly as when
 * a camera's ffmpeg restarts. Rows are inserted on whatever better-sqlite3 connection is given (a test
 * station's `app.db`, or an e2e test's own connection to the station's file).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Db } from '../../database/open'
import { Fmp4Splitter, type Fragment, type InitSegment } from '../../video/fmp4/splitter'

const run = promisify(execFile)

export interface ClipOptions {
  seconds: number
  fps?: number
  width?: number
  height?: number
  /** Key frame every this many frames (default: one per second). */
  gop?: number
  bitrateKbps?: number
}

/** Encodes testsrc2 (a moving picture with a frame counter) as H.264 fMP4, one fragment per frame. */
export async function encodeClip(o: ClipOptions): Promise<Buffer> {
  const fps = o.fps ?? 25
  const size = `${o.width ?? 320}x${o.height ?? 240}`
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`, '-t', String(o.seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-g', String(o.gop ?? fps), '-bf', '0', '-x264-params', 'scenecut=0'],
    ...(o.bitrateKbps ? ['-b:v', `${o.bitrateKbps}k`] : []),
    ...['-f', 'mp4', '-movflags', 'frag_every_frame+empty_moov+default_base_moof', 'pipe:1'],
  ]
  const { stdout } = await run('ffmpeg', args, { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 })
  return stdout
}

export interface SplitSegment {
  /** init + fragments: the file's bytes. */
  data: Buffer
  /** Media time of the first fragment (tfdt) and the sum of the durations, in timescale ticks. */
  firstDts: number
  duration: number
  frames: number
  keyframes: number
}

/** Cuts one fMP4 stream into standalone segments at the first keyframe after every `segmentS` seconds. */
export function splitAtKeyframes(
  stream: Buffer,
  segmentS: number,
): { init: InitSegment; segments: SplitSegment[] } {
  let init: InitSegment | undefined
  const frags: Fragment[] = []
  const splitter = new Fmp4Splitter({
    init: (i) => (init = i),
    fragment: (f) => frags.push(f),
    error: (e) => {
      throw e
    },
  })
  splitter.push(stream)
  if (!init) throw new Error('no init segment in the clip')
  const segments: SplitSegment[] = []
  let current: Fragment[] = []
  let currentTicks = 0
  const flush = () => {
    if (current.length === 0) return
    segments.push({
      data: Buffer.concat([init!.data, ...current.map((f) => f.data)]),
      firstDts: current[0]!.baseMediaDecodeTime ?? 0,
      duration: currentTicks,
      frames: current.reduce((n, f) => n + f.sampleCount, 0),
      keyframes: current.filter((f) => f.keyframe).length,
    })
    current = []
    currentTicks = 0
  }
  for (const f of frags) {
    if (f.keyframe && currentTicks >= segmentS * init.timescale) flush()
    current.push(f)
    currentTicks += f.duration
  }
  flush()
  return { init, segments }
}

export interface FixtureRun extends ClipOptions {
  /** Wall time of the run's first frame, epoch ms. */
  start: number
}

export interface FixtureSegment {
  id: number
  cameraId: number
  start: number
  end: number
  bytes: number
  frames: number
  keyframes: number
  /** Absolute path of the file. */
  file: string
  /** tfdt of its first fragment / timescale: where its media time starts. */
  firstDtsS: number
}

export interface RecordedFixture {
  cameraId: number
  segments: FixtureSegment[]
  codec: string
  width: number
  height: number
  fps: number
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Records `runs` of camera `cameraId` into `dataDir` and indexes them on `db`: files first, then one row
 * per segment (as the recorder does). Answers what was written, oldest first.
 */
export async function recordFixture(
  db: Db,
  dataDir: string,
  cameraId: number,
  runs: FixtureRun[],
  opts: { segmentS?: number; motion?: boolean } = {},
): Promise<RecordedFixture> {
  const segmentS = opts.segmentS ?? 10
  const out: FixtureSegment[] = []
  let meta: Omit<RecordedFixture, 'cameraId' | 'segments'> | undefined
  const insert = db.prepare(
    `INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, keyframes, frames, codec,
       width, height, motion, protected_until, created_at)
     VALUES (@cameraId, @start, @end, @bytes, @path, @keyframes, @frames, @codec, @width, @height, @motion,
       NULL, @createdAt)`,
  )
  for (const r of runs) {
    const { init, segments } = splitAtKeyframes(await encodeClip(r), segmentS)
    meta ??= { codec: init.codecString, width: init.width, height: init.height, fps: r.fps ?? 25 }
    const runDts = segments[0]?.firstDts ?? 0
    for (const s of segments) {
      const start = r.start + Math.round(((s.firstDts - runDts) * 1000) / init.timescale)
      const end = r.start + Math.round(((s.firstDts - runDts + s.duration) * 1000) / init.timescale)
      const rel = path.posix.join(String(cameraId), day(start), `${start}.mp4`)
      const file = path.join(dataDir, 'recordings', rel)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, s.data)
      const row = {
        cameraId,
        start,
        end,
        bytes: s.data.length,
        path: rel,
        keyframes: s.keyframes,
        frames: s.frames,
        codec: init.codecString,
        width: init.width,
        height: init.height,
        motion: opts.motion ? 1 : 0,
        createdAt: Date.now(),
      }
      const id = Number(insert.run(row).lastInsertRowid)
      out.push({
        id,
        cameraId,
        start,
        end,
        bytes: row.bytes,
        frames: s.frames,
        keyframes: s.keyframes,
        file,
        firstDtsS: s.firstDts / init.timescale,
      })
    }
  }
  if (!meta) throw new Error('no runs')
  return { cameraId, segments: out, ...meta }
}

/** Adds a timeline mark (motion, alarm, manual) of a camera. */
export function addMark(
  db: Db,
  m: {
    cameraId: number
    kind: 'motion' | 'alarm' | 'manual'
    start: number
    end: number | null
    area?: number
    ref?: string
  },
): number {
  const r = db
    .prepare(
      `INSERT INTO recording_marks (camera_id, kind, start_ms, end_ms, area, ref, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.cameraId, m.kind, m.start, m.end, m.area ?? null, m.ref ?? null, Date.now())
  return Number(r.lastInsertRowid)
}
