/**
 * Test videos for the simulated RTSP cameras: H.264 Annex-B elementary streams made once with ffmpeg
 * (libx264, constant GOP, no B-frames, SPS/PPS repeated before every keyframe) and cached in a folder keyed
 * by their parameters, so tests and the benchmark pay for the encoding once per machine. The RTSP server
 * serves these bytes as they are.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { frameCodeFilter } from './frame-code'

/**
 * What the picture shows: `testsrc` (ffmpeg's testsrc2: moving colour pattern), `moving-square` (a white
 * square sliding left and right over grey, back where it started at the loop: motion detection), `static`
 * (colour bars that never change: no motion), `noise` (testsrc2 with grain: every byte of the bitrate used,
 * to load networks and buffers), `frame-code` (testsrc2 with each frame's number burnt in as squares,
 * `frame-code.ts`: glass-to-glass latency).
 */
export type TestVideoPattern = 'testsrc' | 'moving-square' | 'static' | 'noise' | 'frame-code'

export interface TestVideoOptions {
  width?: number
  height?: number
  fps?: number
  /** Target (and maximum) bitrate; simple pictures need less and get less. */
  bitrateKbps?: number
  /** Frames from one keyframe to the next (default: one second). */
  gop?: number
  durationS?: number
  pattern?: TestVideoPattern
  /** Default: `guard-station-test-video` in the OS temp folder. */
  cacheDir?: string
  /** Default `ffmpeg` (on the PATH). */
  ffmpegPath?: string
}

export interface TestVideo {
  /** The .h264 file (Annex-B). */
  file: string
  width: number
  height: number
  fps: number
  bitrateKbps: number
  gop: number
  durationS: number
  pattern: TestVideoPattern
}

/** Small and quick to encode: tests, and sub streams. */
export const SMALL_VIDEO = { width: 640, height: 360, fps: 25, bitrateKbps: 600, durationS: 4 } as const
/** The benchmark's main stream: 1080p25 at about 4 Mbit/s. */
export const FULL_HD_VIDEO = { width: 1920, height: 1080, fps: 25, bitrateKbps: 4000, durationS: 10 } as const
export const HD_VIDEO = { width: 1280, height: 720, fps: 25, bitrateKbps: 2000, durationS: 10 } as const

/** A bitrate in proportion to pixels per second, 1080p25 getting 4 Mbit/s (in steps of 50, at least 150). */
export function defaultBitrateKbps(width: number, height: number, fps: number): number {
  const kbps = (FULL_HD_VIDEO.bitrateKbps * width * height * fps) / (1920 * 1080 * 25)
  return Math.max(150, Math.round(kbps / 50) * 50)
}

/** Bumped whenever the encoding arguments change, so stale cached files are not reused. */
const RECIPE = 1

export const defaultTestVideoDir = () => path.join(os.tmpdir(), 'guard-station-test-video')

type Resolved = Omit<TestVideo, 'file'>

function resolve(o: TestVideoOptions): Resolved {
  const width = o.width ?? SMALL_VIDEO.width
  const height = o.height ?? SMALL_VIDEO.height
  const fps = o.fps ?? SMALL_VIDEO.fps
  const r: Resolved = {
    width,
    height,
    fps,
    bitrateKbps: o.bitrateKbps ?? SMALL_VIDEO.bitrateKbps,
    gop: o.gop ?? Math.max(1, Math.round(fps)),
    durationS: o.durationS ?? SMALL_VIDEO.durationS,
    pattern: o.pattern ?? 'testsrc',
  }
  const even = (n: number) => Number.isInteger(n) && n % 2 === 0 && n >= 16 && n <= 4096
  if (!even(width) || !even(height))
    throw new Error(`width and height must be even, 16-4096: ${width}x${height}`)
  if (!(Number.isInteger(fps) && fps >= 1 && fps <= 120)) throw new Error(`fps must be 1-120, got ${fps}`)
  if (!(r.bitrateKbps >= 50 && r.bitrateKbps <= 100_000)) throw new Error('bitrateKbps must be 50-100000')
  if (!(Number.isInteger(r.gop) && r.gop >= 1 && r.gop <= 1000)) throw new Error('gop must be 1-1000')
  if (!(r.durationS > 0 && r.durationS <= 600)) throw new Error('durationS must be more than 0, at most 600')
  return r
}

/** The lavfi inputs and filter for a pattern. */
function source(r: Resolved): string[] {
  const size = `${r.width}x${r.height}`
  const rate = `rate=${r.fps}`
  switch (r.pattern) {
    case 'testsrc':
      return ['-f', 'lavfi', '-i', `testsrc2=size=${size}:${rate}`]
    case 'noise':
      return ['-f', 'lavfi', '-i', `testsrc2=size=${size}:${rate},noise=alls=60:allf=t+u`]
    case 'static':
      return ['-f', 'lavfi', '-i', `smptehdbars=size=${size}:${rate}`]
    case 'frame-code':
      return [
        ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:${rate}`],
        ...['-vf', frameCodeFilter(r.width, r.height)],
      ]
    case 'moving-square': {
      const side = Math.max(8, Math.round(r.height / 5 / 2) * 2)
      return [
        ...['-f', 'lavfi', '-i', `color=c=0x404040:size=${size}:${rate}`],
        ...['-f', 'lavfi', '-i', `color=c=white:size=${side}x${side}:${rate}`],
        '-filter_complex',
        // One full swing per loop: the square is back where it started when the file starts again.
        `[0][1]overlay=x='(W-w)*(0.5-0.5*cos(2*PI*t/${r.durationS}))':y='(H-h)/2':eval=frame:shortest=1`,
      ]
    }
  }
}

/** The ffmpeg arguments that encode `r` into `out` (an argument array: no shell is involved). */
export function testVideoArgs(o: TestVideoOptions, out: string): string[] {
  const r = resolve(o)
  return [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
    ...source(r),
    ...['-t', String(r.durationS), '-an'],
    ...['-c:v', 'libx264', '-profile:v', 'high', '-preset', 'veryfast', '-tune', 'zerolatency'],
    ...['-b:v', `${r.bitrateKbps}k`, '-maxrate', `${r.bitrateKbps}k`, '-bufsize', `${r.bitrateKbps * 2}k`],
    ...['-g', String(r.gop), '-bf', '0', '-pix_fmt', 'yuv420p', '-r', String(r.fps)],
    ...['-x264-params', `keyint=${r.gop}:min-keyint=${r.gop}:scenecut=0:repeat-headers=1`],
    ...['-bsf:v', 'h264_mp4toannexb', '-f', 'h264', out],
  ]
}

function cacheName(r: Resolved): string {
  const key = createHash('sha256')
    .update(JSON.stringify({ RECIPE, ...r }))
    .digest('hex')
    .slice(0, 10)
  return `${r.pattern}-${r.width}x${r.height}-${r.fps}fps-${r.bitrateKbps}k-g${r.gop}-${r.durationS}s-${key}.h264`
}

const inFlight = new Map<string, Promise<TestVideo>>()

/**
 * The test video for these parameters: from the cache folder, or encoded now (written under a temporary
 * name and renamed, so concurrent test workers never read half a file).
 */
export async function makeTestVideo(o: TestVideoOptions = {}): Promise<TestVideo> {
  const r = resolve(o)
  const file = path.join(o.cacheDir ?? defaultTestVideoDir(), cacheName(r))
  let p = inFlight.get(file)
  if (!p) {
    p = encodeOnce(o, r, file).finally(() => inFlight.delete(file))
    inFlight.set(file, p)
  }
  return await p
}

async function encodeOnce(o: TestVideoOptions, r: Resolved, file: string): Promise<TestVideo> {
  const video: TestVideo = { file, ...r }
  const cached = await stat(file).catch(() => undefined)
  if (cached && cached.size > 0) return video
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const ffmpeg = o.ffmpegPath ?? 'ffmpeg'
  try {
    await new Promise<void>((done, fail) => {
      execFile(ffmpeg, testVideoArgs(o, tmp), { timeout: 300_000 }, (err, _stdout, stderr) => {
        if (!err) return done()
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
        fail(
          new Error(
            missing
              ? `${ffmpeg} not found: the simulated RTSP cameras need ffmpeg with libx264 (Debian/Ubuntu: apt-get install ffmpeg)`
              : `ffmpeg could not make the test video: ${String(stderr).trim() || err.message}`,
          ),
        )
      })
    })
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
  return video
}
