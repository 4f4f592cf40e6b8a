/**
 * The burnt-in frame code survives H.264 (real ffmpeg and libx264): frames drawn with `frameCodeFilter`,
 * encoded at a modest bitrate, decoded to RGBA and read back with `readFrameCode` give their frame numbers.
 */
import { execFile } from 'node:child_process'
import { rm, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { frameCodeFilter, frameCodeLayout, frameCodeRegion, readFrameCode } from './frame-code'

const W = 320
const H = 180
const FRAMES = 40

function ffmpeg(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile('ffmpeg', args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  )
}

describe('the frame code', () => {
  it('reads back every frame number after H.264 encoding', async () => {
    const layout = frameCodeLayout(W, H)
    const h264 = await ffmpeg([
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=25`],
      ...['-frames:v', String(FRAMES), '-vf', frameCodeFilter(W, H)],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-b:v',
        '300k',
        '-pix_fmt',
        'yuv420p',
        '-f',
        'h264',
        'pipe:1',
      ],
    ])
    const region = frameCodeRegion(layout)
    const file = `/tmp/frame-code-${process.pid}.h264`
    await writeFile(file, h264)
    const rgba = await ffmpeg([
      ...['-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', file],
      ...['-vf', `crop=${region.width}:${region.height}:${region.x}:${region.y}`],
      ...['-pix_fmt', 'rgba', '-f', 'rawvideo', 'pipe:1'],
    ])
    await rm(file, { force: true })
    const size = region.width * region.height * 4
    expect(rgba.length).toBe(size * FRAMES)
    const codes = Array.from({ length: FRAMES }, (_, n) =>
      readFrameCode(rgba.subarray(n * size, (n + 1) * size), layout),
    )
    expect(codes).toEqual(Array.from({ length: FRAMES }, (_, n) => n))
  })

  it('refuses a picture without a readable code', () => {
    const layout = frameCodeLayout(W, H)
    const region = frameCodeRegion(layout)
    const grey = new Uint8Array(region.width * region.height * 4).fill(128)
    expect(readFrameCode(grey, layout)).toBeNull()
  })
})
