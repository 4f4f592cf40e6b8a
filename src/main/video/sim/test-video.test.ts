/** Test videos: encoded once with ffmpeg into the cache, with the GOP, size and motion asked for. */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAnnexB } from './h264-annexb'
import { defaultBitrateKbps, makeTestVideo, testVideoArgs } from './test-video'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'test-video-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const bytes = (u: { nals: Buffer[] }) => u.nals.reduce((n, x) => n + x.length, 0)

describe('test videos', () => {
  it('encodes once per parameter set, then answers the cached file', async () => {
    const o = { width: 160, height: 90, fps: 10, durationS: 2, cacheDir: dir }
    const [a, b] = await Promise.all([makeTestVideo(o), makeTestVideo(o)])
    expect(a).toEqual(b)
    expect(a).toMatchObject({ width: 160, height: 90, fps: 10, gop: 10, durationS: 2, pattern: 'testsrc' })
    const before = (await stat(a.file)).mtimeMs
    expect((await makeTestVideo(o)).file).toBe(a.file)
    expect((await stat(a.file)).mtimeMs).toBe(before)
    const other = await makeTestVideo({ ...o, gop: 5 })
    expect(other.file).not.toBe(a.file)
    const s = parseAnnexB(readFileSync(other.file))
    expect(s.units).toHaveLength(20)
    // A keyframe every 5 frames, from the first: a client can join at any of them.
    expect(s.units.map((u, i) => u.keyframe === (i % 5 === 0)).every(Boolean)).toBe(true)
  })

  it('makes a picture with motion and one without', async () => {
    const o = { width: 160, height: 90, fps: 10, durationS: 1, cacheDir: dir }
    const [moving, still] = await Promise.all([
      makeTestVideo({ ...o, pattern: 'moving-square' }),
      makeTestVideo({ ...o, pattern: 'static' }),
    ])
    const pFrames = (file: string) => parseAnnexB(readFileSync(file)).units.filter((u) => !u.keyframe)
    const stillSizes = pFrames(still.file).map(bytes)
    const movingSizes = pFrames(moving.file).map(bytes)
    expect(Math.max(...stillSizes)).toBeLessThan(Math.min(...movingSizes))
  })

  it('passes ffmpeg an argument array, and refuses sizes libx264 4:2:0 cannot take', async () => {
    const args = testVideoArgs({ width: 1920, height: 1080, bitrateKbps: 4000, gop: 25 }, '/tmp/x.h264')
    expect(args).toContain('testsrc2=size=1920x1080:rate=25')
    expect(args.join(' ')).toContain('-b:v 4000k -maxrate 4000k')
    expect(args.join(' ')).toContain('keyint=25:min-keyint=25:scenecut=0')
    expect(args.at(-1)).toBe('/tmp/x.h264')
    expect(() => testVideoArgs({ width: 641 }, '/tmp/x')).toThrow(/even/)
    await expect(makeTestVideo({ durationS: 0 })).rejects.toThrow(/durationS/)
    expect(defaultBitrateKbps(1920, 1080, 25)).toBe(4000)
    expect(defaultBitrateKbps(640, 360, 25)).toBe(450)
  })
})
