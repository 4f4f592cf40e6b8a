/**
 * The box reader on real ffmpeg output (fragmented MP4, one fragment per frame and one per GOP), checked
 * against what ffprobe says about the same bytes; and the flag fallbacks ffmpeg does not use, on small
 * hand-built fragments.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boxes, readBoxHeader, segmentKind } from './boxes'
import { isKeyframeFlags, parseFragment, parseInit, type InitInfo, type TrackInfo } from './fmp4-info'

const dir = mkdtempSync(join(tmpdir(), 'mse-boxes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function ffmpegFmp4(movflags: string): Uint8Array {
  const out = execFileSync(
    'ffmpeg',
    [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=25',
        '-t',
        '2',
      ],
      ...['-c:v', 'libx264', '-g', '10', '-bf', '0', '-f', 'mp4', '-movflags', movflags, 'pipe:1'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  )
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/** ffprobe's view of the same bytes: key flag per packet, profile and level. */
function probe(data: Uint8Array): { keys: boolean[]; level: number; profile: string } {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.mp4`)
  writeFileSync(file, data)
  const run = (args: string[]) =>
    execFileSync('ffprobe', ['-v', 'error', ...args, file], { encoding: 'utf8' })
  const keys = run(['-select_streams', 'v', '-show_entries', 'packet=flags', '-of', 'csv=p=0'])
    .trim()
    .split('\n')
    .map((f) => f.startsWith('K'))
  const [profile, level] = run(['-show_entries', 'stream=profile,level', '-of', 'csv=p=0']).trim().split(',')
  return { keys, profile: profile!, level: Number(level) }
}

/** Top-level boxes grouped as the station sends them: ftyp+moov, then each moof with its mdat. */
function segments(data: Uint8Array): { init: Uint8Array; fragments: Uint8Array[] } {
  let init: Uint8Array | null = null
  const fragments: Uint8Array[] = []
  let moofAt = -1
  for (const b of boxes(data)) {
    if (b.type === 'moov') init = data.subarray(0, b.end)
    else if (b.type === 'moof') moofAt = b.start
    else if (b.type === 'mdat' && moofAt >= 0) {
      fragments.push(data.subarray(moofAt, b.end))
      moofAt = -1
    }
  }
  if (!init) throw new Error('no moov')
  return { init, fragments }
}

describe('box reader on ffmpeg fragmented MP4', () => {
  let perFrame: Uint8Array
  let perGop: Uint8Array
  beforeAll(() => {
    perFrame = ffmpegFmp4('frag_every_frame+empty_moov+default_base_moof')
    perGop = ffmpegFmp4('frag_keyframe+empty_moov+default_base_moof')
  })

  it('tells the init segment from fragments and reads the video track', () => {
    const { init, fragments } = segments(perFrame)
    expect(segmentKind(init)).toBe('init')
    expect(fragments).toHaveLength(50)
    for (const f of fragments) expect(segmentKind(f)).toBe('fragment')
    expect(segmentKind(new Uint8Array(16))).toBe('other')

    const info = parseInit(init)!
    const p = probe(perFrame)
    expect(p.profile).toBe('High')
    expect(info.video).toMatchObject({ handler: 'vide', sampleEntry: 'avc1', width: 320, height: 240 })
    // avc1.PPCCLL: High is profile 100 (0x64); the level as ffprobe reads it from the same avcC.
    expect(info.video!.codec).toMatch(
      new RegExp(`^avc1\\.64[0-9a-f]{2}${p.level.toString(16).padStart(2, '0')}$`),
    )
    expect(info.video!.timescale).toBeGreaterThan(0)
  })

  it('finds the keyframes ffprobe finds, one frame per fragment, back to back', () => {
    const { init, fragments } = segments(perFrame)
    const info = parseInit(init)
    const parsed = fragments.map((f) => parseFragment(f, info)!)
    const { keys } = probe(perFrame)
    expect(parsed.map((f) => f.keyframe)).toEqual(keys)
    expect(keys.filter(Boolean).length).toBeGreaterThanOrEqual(5) // -g 10 over 50 frames
    expect(parsed[0]!.keyframe).toBe(true)
    const ts = info!.video!.timescale
    for (const [i, f] of parsed.entries()) {
      expect(f.samples).toBe(1)
      expect(f.timescale).toBe(ts)
      expect(f.duration / ts).toBeCloseTo(1 / 25, 6)
      if (i > 0) expect(f.decodeTime).toBe(parsed[i - 1]!.decodeTime! + parsed[i - 1]!.duration)
    }
  })

  it('reads multi-sample runs: one fragment per GOP starts with a keyframe', () => {
    const { init, fragments } = segments(perGop)
    const info = parseInit(init)
    const parsed = fragments.map((f) => parseFragment(f, info)!)
    expect(parsed.every((f) => f.keyframe)).toBe(true)
    expect(parsed.reduce((n, f) => n + f.samples, 0)).toBe(50)
    expect(parsed[0]!.samples).toBe(10)
    expect(parsed[0]!.duration / info!.video!.timescale).toBeCloseTo(10 / 25, 6)
  })

  it('reports incomplete boxes as such (a splitter waits for more bytes)', () => {
    const { init } = segments(perFrame)
    expect(readBoxHeader(init, 0)).toMatchObject({ type: 'ftyp', start: 0, body: 8 })
    const moov = readBoxHeader(init, readBoxHeader(init, 0)!.end)!
    expect(moov.type).toBe('moov')
    const cut = init.subarray(0, moov.start + 100)
    expect(readBoxHeader(cut, moov.start)!.end).toBeGreaterThan(cut.length)
    expect([...boxes(cut)].map((b) => b.type)).toEqual(['ftyp'])
    expect(readBoxHeader(cut, cut.length - 4)).toBeNull()
  })
})

// ---- hand-built fragments for the fallbacks ----

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(size)
  new DataView(out.buffer).setUint32(0, size)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  let at = 8
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const words = (...w: number[]) => {
  const out = new Uint8Array(w.length * 4)
  w.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v))
  return out
}
const SYNC = 0x02000000
const NON_SYNC = 0x01010000

describe('sample flag fallbacks', () => {
  const track: TrackInfo = {
    id: 1,
    handler: 'vide',
    timescale: 90000,
    defaultDuration: 3000,
    defaultFlags: NON_SYNC,
    sampleEntry: 'avc1',
    codec: null,
    width: null,
    height: null,
  }
  const init: InitInfo = { tracks: [track], video: track }

  it('reads per-sample flags and durations from trun', () => {
    const trun = box('trun', words(0x000500, 2, 3600, SYNC, 3600, NON_SYNC)) // duration + flags per sample
    const frag = box('moof', box('traf', box('tfhd', words(0x020000, 1)), trun))
    expect(parseFragment(frag, init)).toMatchObject({
      keyframe: true,
      samples: 2,
      duration: 7200,
      decodeTime: null,
    })
  })

  it("falls back to the init's trex defaults when tfhd and trun say nothing", () => {
    const frag = box(
      'moof',
      box('traf', box('tfhd', words(0x020000, 1)), box('tfdt', words(0, 9000)), box('trun', words(0, 1))),
    )
    expect(parseFragment(frag, init)).toMatchObject({ keyframe: false, duration: 3000, decodeTime: 9000 })
  })

  it('prefers first_sample_flags for the first sample over per-sample flags', () => {
    const trun = box('trun', words(0x000404, 1, SYNC, NON_SYNC))
    const frag = box('moof', box('traf', box('tfhd', words(0x020000, 1)), trun))
    expect(parseFragment(frag, init)!.keyframe).toBe(true)
  })

  it('reads a 64-bit tfdt and skips other tracks', () => {
    const other = box('traf', box('tfhd', words(0x020020, 2, SYNC)), box('trun', words(0, 1)))
    const video = box(
      'traf',
      box('tfhd', words(0x020020, 1, SYNC)),
      box('tfdt', words(0x01000000, 1, 0)),
      box('trun', words(0, 1)),
    )
    const info = parseFragment(box('moof', other, video), init)!
    expect(info).toMatchObject({ trackId: 1, keyframe: true, decodeTime: 2 ** 32 })
  })

  it('judges flags by sync bit and dependency', () => {
    expect(isKeyframeFlags(SYNC)).toBe(true)
    expect(isKeyframeFlags(0)).toBe(true)
    expect(isKeyframeFlags(NON_SYNC)).toBe(false)
    expect(isKeyframeFlags(0x00010000)).toBe(false)
    expect(isKeyframeFlags(0x01000000)).toBe(false)
  })
})
