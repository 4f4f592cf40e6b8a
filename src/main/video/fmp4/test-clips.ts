/** Real ffmpeg output for the fMP4 tests (test code only): clips, ffprobe figures, parameter sets. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const FRAGMENTED = ['-f', 'mp4', '-movflags', 'frag_every_frame+empty_moov+default_base_moof']

/** Runs ffmpeg with `args` and answers its stdout (`pipe:1` output). */
export async function ffmpegStdout(args: string[], input?: Buffer): Promise<Buffer> {
  const child = run('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (input) child.child.stdin?.end(input)
  return (await child).stdout
}

/** A test clip: testsrc2 at 25 fps, keyframe every `gop` frames, as fragmented MP4 on a pipe. */
export function fragmentedClip(
  codec: 'h264' | 'hevc',
  options: { seconds: number; gop: number; tag?: string },
) {
  const encoder =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', 'scenecut=0']
      : ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error:scenecut=0']
  return ffmpegStdout([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', String(options.seconds)],
    ...encoder,
    ...['-g', String(options.gop), '-pix_fmt', 'yuv420p'],
    ...(options.tag ? ['-tag:v', options.tag] : []),
    ...FRAGMENTED,
    'pipe:1',
  ])
}

/** Runs `fn` with the clip in a temporary file. */
export async function withFile<T>(data: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-fmp4-'))
  const file = path.join(dir, 'clip.mp4')
  writeFileSync(file, data)
  try {
    return await fn(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** ffprobe's decoded frame count and per-packet keyframe flags (decode order) of the first video stream. */
export async function probe(file: string): Promise<{ frames: number; keyPackets: boolean[] }> {
  const common = ['-v', 'error', '-select_streams', 'v:0', '-of', 'csv=p=0']
  const frames = await run('ffprobe', [
    ...common,
    '-count_frames',
    '-show_entries',
    'stream=nb_read_frames',
    file,
  ])
  const packets = await run('ffprobe', [...common, '-show_entries', 'packet=flags', file])
  return {
    frames: Number(frames.stdout.trim()),
    keyPackets: packets.stdout
      .trim()
      .split('\n')
      .map((l) => l.includes('K')),
  }
}

/** The NAL units of an Annex-B elementary stream (start codes removed). */
export function annexBNals(es: Buffer): Buffer[] {
  const nals: Buffer[] = []
  let start = -1
  for (let i = 0; i + 3 <= es.length; i++) {
    if (es[i] === 0 && es[i + 1] === 0 && (es[i + 2] === 1 || (es[i + 2] === 0 && es[i + 3] === 1))) {
      const sc = es[i + 2] === 1 ? 3 : 4
      if (start >= 0) nals.push(es.subarray(start, i))
      start = i + sc
      i += sc - 1
    }
  }
  if (start >= 0) nals.push(es.subarray(start))
  return nals
}

/** The clip's video as Annex-B (parameter sets in band), straight from the MP4 samples. */
export function annexB(file: string, codec: 'h264' | 'hevc'): Promise<Buffer> {
  return ffmpegStdout(['-i', file, '-c:v', 'copy', '-bsf:v', `${codec}_mp4toannexb`, '-f', codec, 'pipe:1'])
}

/** Removes emulation prevention bytes (00 00 03 → 00 00) from a NAL unit. */
export function unescapeRbsp(nal: Buffer): Buffer {
  const out: number[] = []
  for (let i = 0; i < nal.length; i++) {
    if (nal[i] === 3 && out.length >= 2 && out[out.length - 1] === 0 && out[out.length - 2] === 0) continue
    out.push(nal[i]!)
  }
  return Buffer.from(out)
}
