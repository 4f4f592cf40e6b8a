import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Fmp4Splitter, type Fragment, type InitSegment as SplitInit } from '../fmp4/splitter'
import { fragmentedClip } from '../fmp4/test-clips'
import { isJpeg, jpegDimensions } from '../jpeg'
import type { InitSegment, VideoUnit } from '../pipeline/units'
import { KeyframeSnapshots, SnapshotError, keyframeJpeg, keyframeJpegArgs } from './keyframe-jpeg'

const dir = mkdtempSync(path.join(tmpdir(), 'gs-keyframe-jpeg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Camera {
  init: InitSegment
  units: VideoUnit[]
}

/** A camera's units as its channel holds them, from a real ffmpeg clip (320x240, a keyframe every 10). */
async function camera(codec: 'h264' | 'hevc'): Promise<Camera> {
  const clip = await fragmentedClip(codec, { seconds: 1, gop: 10 })
  let split: SplitInit | undefined
  const fragments: Fragment[] = []
  const splitter = new Fmp4Splitter({
    init: (i) => (split = i),
    fragment: (f) => fragments.push(f),
    error: (e) => {
      throw e
    },
  })
  splitter.push(clip)
  splitter.end()
  const kind = codec === 'hevc' ? 'h265' : 'h264'
  const init: InitSegment = {
    kind: 'init',
    codec: kind,
    codecString: split!.codecString,
    data: split!.data,
    timescale: split!.timescale,
    width: split!.width,
    height: split!.height,
  }
  const units = fragments.map((f, seq): VideoUnit => ({
    kind: 'video',
    codec: kind,
    data: f.data,
    dts: f.baseMediaDecodeTime ?? 0,
    pts: f.baseMediaDecodeTime ?? 0,
    duration: f.duration,
    keyframe: f.keyframe,
    seq,
    receivedAt: 0,
    wallAt: 0,
  }))
  return { init, units }
}

/** A stand-in ffmpeg: a shell script ignoring its arguments. */
function script(name: string, body: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

const running = (marker: string) => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(marker)

describe('keyframeJpeg with real ffmpeg', () => {
  let h264: Camera
  let hevc: Camera
  beforeAll(async () => {
    ;[h264, hevc] = await Promise.all([camera('h264'), camera('hevc')])
  })

  it('decodes the init segment and a keyframe fragment into a JPEG of the camera size', async () => {
    const key = h264.units.filter((u) => u.keyframe)[1]!
    expect(key.seq).toBe(10)
    const jpeg = await keyframeJpeg({ ffmpegPath: 'ffmpeg', init: h264.init.data, keyframe: key.data })
    expect(isJpeg(jpeg)).toBe(true)
    expect(jpegDimensions(jpeg)).toEqual({ width: 320, height: 240 })
  })

  it('decodes H.265 too, and scales down to a largest width', async () => {
    const key = hevc.units[0]!
    expect(key.keyframe).toBe(true)
    const jpeg = await keyframeJpeg({
      ffmpegPath: 'ffmpeg',
      init: hevc.init.data,
      keyframe: key.data,
      following: hevc.units.slice(1, 3).map((u) => u.data),
      maxWidth: 160,
    })
    expect(jpegDimensions(jpeg)).toEqual({ width: 160, height: 120 })
  })

  it('fails plainly on bytes that are not fMP4, and on a missing ffmpeg', async () => {
    const garbage = Buffer.alloc(4096, 7)
    await expect(
      keyframeJpeg({ ffmpegPath: 'ffmpeg', init: garbage, keyframe: garbage }),
    ).rejects.toMatchObject({ name: 'SnapshotError', reason: 'failed' })
    await expect(
      keyframeJpeg({ ffmpegPath: path.join(dir, 'no-ffmpeg'), init: garbage, keyframe: garbage }),
    ).rejects.toMatchObject({ reason: 'failed', message: expect.stringMatching(/Could not start ffmpeg/) })
  })

  it('kills an ffmpeg that overruns its timeout, and refuses output that is too large or not a JPEG', async () => {
    const hung = script('hung', 'exec sleep 31.4159')
    const started = performance.now()
    const err = await keyframeJpeg({
      ffmpegPath: hung,
      init: h264.init.data,
      keyframe: h264.units[0]!.data,
      timeoutMs: 300,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SnapshotError)
    expect(err).toMatchObject({ reason: 'timeout' })
    expect(performance.now() - started).toBeLessThan(3000)
    expect(running('sleep 31.4159')).toBe(false)

    const flood = script('flood', 'exec cat /dev/zero')
    await expect(
      keyframeJpeg({
        ffmpegPath: flood,
        init: h264.init.data,
        keyframe: h264.units[0]!.data,
        maxBytes: 100_000,
      }),
    ).rejects.toMatchObject({ reason: 'too-large' })
    const text = script('text', 'cat > /dev/null; head -c 4000 /dev/zero')
    await expect(
      keyframeJpeg({ ffmpegPath: text, init: h264.init.data, keyframe: h264.units[0]!.data }),
    ).rejects.toMatchObject({ reason: 'not-jpeg' })
  })

  it('builds an argument array: fMP4 on stdin, one MJPEG frame on stdout', () => {
    expect(keyframeJpegArgs({ maxWidth: 640, quality: 50 })).toEqual([
      ...['-hide_banner', '-nostats', '-loglevel', 'level+error'],
      ...['-f', 'mp4', '-i', 'pipe:0', '-map', '0:v:0', '-vf', "scale='min(640,iw)':-2"],
      ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '31', '-f', 'image2pipe', 'pipe:1'],
    ])
  })
})

describe('KeyframeSnapshots', () => {
  let cam: Camera
  beforeAll(async () => {
    cam = await camera('h264')
  })
  const keys = () => cam.units.filter((u) => u.keyframe)

  it('shares one decode among concurrent callers for the same keyframe, and serves it fresh for a while', async () => {
    const snapshots = new KeyframeSnapshots({ ffmpegPath: 'ffmpeg', freshMs: 300 })
    const [k0, k1] = keys()
    const callers = [1, 2, 3].map(() => snapshots.get(7, cam.init, k0!))
    const jpegs = await Promise.all(callers)
    expect(jpegs[1]).toBe(jpegs[0])
    expect(jpegs[2]).toBe(jpegs[0])
    expect(snapshots.stats()).toMatchObject({ decodes: 1, shared: 2, cacheHits: 0, failures: 0 })
    expect(snapshots.stats().lastDecodeMs).toBeGreaterThan(0)

    expect(await snapshots.get(7, cam.init, k0!)).toBe(jpegs[0])
    expect(snapshots.stats()).toMatchObject({ decodes: 1, cacheHits: 1 })
    // Another camera, or the same camera's next keyframe, is a decode of its own.
    await snapshots.get(8, cam.init, k0!)
    const next = await snapshots.get(7, cam.init, k1!)
    expect(next).not.toBe(jpegs[0])
    expect(snapshots.stats()).toMatchObject({ decodes: 3 })
    // A new init segment (the camera reconnected, its units numbered anew) is not the same keyframe.
    expect(await snapshots.get(7, { ...cam.init }, k1!)).not.toBe(next)
    expect(snapshots.stats()).toMatchObject({ decodes: 4 })
    // Fresh for freshMs, then decoded again.
    const fresh = await snapshots.get(7, cam.init, k1!)
    expect(await snapshots.get(7, cam.init, k1!)).toBe(fresh)
    await new Promise((r) => setTimeout(r, 350))
    expect(await snapshots.get(7, cam.init, k1!)).not.toBe(fresh)
    expect(snapshots.stats()).toMatchObject({ decodes: 6, cacheHits: 2 })
  })

  it('runs at most maxConcurrent decodes, queues a few more and refuses the rest', async () => {
    const snapshots = new KeyframeSnapshots({ ffmpegPath: 'ffmpeg', maxConcurrent: 2, maxWaiting: 2 })
    const key = keys()[0]!
    const calls = [1, 2, 3, 4, 5].map((camId) =>
      snapshots.get(camId, cam.init, key).then(
        (jpeg) => ({ jpeg }),
        (err: unknown) => ({ err }),
      ),
    )
    expect(snapshots.stats()).toMatchObject({ active: 2, waiting: 2, refused: 1 })
    const results = await Promise.all(calls)
    expect(results.filter((r) => 'jpeg' in r && isJpeg(r.jpeg))).toHaveLength(4)
    expect(results[4]).toMatchObject({ err: { reason: 'busy' } })
    expect(snapshots.stats()).toMatchObject({ decodes: 4, active: 0, waiting: 0, failures: 0 })
    // The refusal is not cached: that camera gets its snapshot once there is room.
    expect(isJpeg(await snapshots.get(5, cam.init, key))).toBe(true)
  })

  it('counts failures and timeouts, does not cache them, and refuses everything once closed', async () => {
    const hung = script('hung-snapshots', 'exec sleep 27.1828')
    const snapshots = new KeyframeSnapshots({ ffmpegPath: hung, timeoutMs: 200, maxConcurrent: 1 })
    const key = keys()[0]!
    await expect(snapshots.get(1, cam.init, key)).rejects.toMatchObject({ reason: 'timeout' })
    await expect(snapshots.get(1, cam.init, key)).rejects.toMatchObject({ reason: 'timeout' })
    expect(snapshots.stats()).toMatchObject({ decodes: 2, failures: 2, timeouts: 2, cacheHits: 0 })

    const slow = new KeyframeSnapshots({ ffmpegPath: hung, timeoutMs: 30_000, maxConcurrent: 1 })
    const first = slow.get(1, cam.init, key).catch((e: unknown) => e)
    const queued = slow.get(2, cam.init, key).catch((e: unknown) => e)
    slow.close()
    expect(await first).toMatchObject({ reason: 'closed' })
    expect(await queued).toMatchObject({ reason: 'closed' })
    await expect(slow.get(3, cam.init, key)).rejects.toMatchObject({ reason: 'closed' })
    expect(running('sleep 27.1828')).toBe(false)
    await expect(slow.get(3, cam.init, cam.units[1]!)).rejects.toThrow(/not a keyframe/)
  })
})
