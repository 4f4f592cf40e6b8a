import { beforeAll, describe, expect, it } from 'vitest'
import { Fmp4Splitter, type Fragment, type InitSegment } from './splitter'
import type { Fmp4Error } from './boxes'
import { hevcCodecStringFromPtl } from './codec-string'
import { annexB, annexBNals, fragmentedClip, probe, unescapeRbsp, withFile } from './test-clips'

interface Output {
  inits: InitSegment[]
  fragments: Fragment[]
  errors: Fmp4Error[]
}

function split(data: Buffer, chunkSizes: () => number, maxBoxBytes?: number): Output {
  const out: Output = { inits: [], fragments: [], errors: [] }
  const s = new Fmp4Splitter(
    {
      init: (i) => out.inits.push(i),
      fragment: (f) => out.fragments.push(f),
      error: (e) => out.errors.push(e),
    },
    { maxBoxBytes },
  )
  for (let off = 0; off < data.length;) {
    const n = Math.max(1, chunkSizes())
    // Fresh buffers, as a pipe delivers them (no views of one shared input).
    s.push(Buffer.from(data.subarray(off, off + n)))
    off += n
  }
  s.end()
  return out
}

/** Deterministic pseudo-random sizes (mulberry32), mostly small with the odd large chunk. */
function randomSizes(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    return r < 0.1 ? Math.floor(r * 400_000) : Math.floor(r * 3000) + 1
  }
}

describe('Fmp4Splitter on real ffmpeg H.264 output', () => {
  let clip: Buffer
  let frames: number
  let keyPackets: boolean[]
  let spsCodec: string

  beforeAll(async () => {
    clip = await fragmentedClip('h264', { seconds: 2, gop: 10 })
    await withFile(clip, async (file) => {
      ;({ frames, keyPackets } = await probe(file))
      // The codec string computed from the SPS itself (bytes 1-3: profile, constraint flags, level).
      const sps = annexBNals(await annexB(file, 'h264')).find((n) => (n[0]! & 0x1f) === 7)!
      spsCodec = `avc1.${sps.subarray(1, 4).toString('hex')}`
    })
  })

  it('emits the init segment once, then one fragment per frame, keyframes every 10th', () => {
    const out = split(clip, randomSizes(1))
    expect(out.errors).toEqual([])
    expect(out.inits).toHaveLength(1)
    const init = out.inits[0]!
    expect(init).toMatchObject({ codec: 'avc1', width: 320, height: 240 })
    expect(init.codecString.toLowerCase()).toBe(spsCodec)
    expect(init.mimeType).toBe(`video/mp4; codecs="${init.codecString}"`)
    expect(init.data.toString('latin1', 4, 8)).toBe('ftyp')

    expect(frames).toBe(50)
    expect(out.fragments).toHaveLength(frames)
    const keys = out.fragments.map((f) => f.keyframe)
    expect(keys).toEqual(keyPackets)
    expect(keys.flatMap((k, i) => (k ? [i] : []))).toEqual([0, 10, 20, 30, 40])

    let bytes = init.data.length
    out.fragments.forEach((f, i) => {
      expect(f.sampleCount).toBe(1)
      expect(f.byteLength).toBe(f.data.length)
      expect(f.data.toString('latin1', 4, 8)).toBe('moof')
      expect(f.sequence).toBe(i + 1)
      expect(f.duration).toBe(init.timescale / 25)
      const prev = out.fragments[i - 1]
      if (prev) expect(f.baseMediaDecodeTime).toBe(prev.baseMediaDecodeTime! + prev.duration)
      bytes += f.byteLength
    })
    expect(out.fragments[0]!.baseMediaDecodeTime).toBe(0)
    // Everything but ffmpeg's trailing mfra (an index for files, skipped) was handed out.
    expect(clip.length - bytes).toBe(clip.readUInt32BE(bytes))
    expect(clip.toString('latin1', bytes + 4, bytes + 8)).toBe('mfra')
  })

  it('gives the same units whatever the chunking, one byte at a time included', () => {
    const whole = split(clip, () => clip.length)
    const bytewise = split(clip.subarray(0, 30_000), () => 1)
    const random = split(clip, randomSizes(7))
    expect(random.fragments.map((f) => f.data)).toEqual(whole.fragments.map((f) => f.data))
    expect(bytewise.fragments.length).toBeGreaterThan(2)
    expect(bytewise.fragments.map((f) => f.data)).toEqual(
      whole.fragments.slice(0, bytewise.fragments.length).map((f) => f.data),
    )
    expect(random.inits[0]!.data).toEqual(whole.inits[0]!.data)
  })

  it('hands out views of the input chunk when a unit sits in one chunk (no copy)', () => {
    const frags: Fragment[] = []
    const s = new Fmp4Splitter({ init: () => {}, fragment: (f) => frags.push(f), error: () => {} })
    s.push(clip)
    expect(frags.length).toBe(50)
    for (const f of frags) expect(f.data.buffer).toBe(clip.buffer)
  })

  it('reports garbage, oversized boxes and bad order, then ignores the rest', () => {
    const initEnd = 8 + clip.readUInt32BE(0) - 8 + clip.readUInt32BE(clip.readUInt32BE(0))
    const garbage = Buffer.concat([clip.subarray(0, initEnd), Buffer.from('\0\0\0\x10junk........'), clip])
    let out = split(garbage, randomSizes(3))
    expect(out.inits).toHaveLength(1)
    expect(out.fragments).toHaveLength(0)
    expect(out.errors.map((e) => [e.code, e.message])).toEqual([['garbage', 'unknown top-level box "junk"']])

    out = split(Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x76, 1, 2, 3, 4]), () => 5)
    expect(out.errors.map((e) => e.code)).toEqual(['garbage'])

    out = split(Buffer.from('\x00\x00\x00\x20\xff\xd8\xff\xe0 and so on, a JPEG', 'latin1'), () => 100)
    expect(out.errors[0]?.message).toBe('unknown top-level box "\\xff\\xd8\\xff\\xe0"')

    out = split(clip, randomSizes(4), 2000)
    expect(out.errors.map((e) => e.code)).toEqual(['too-large'])
    expect(out.errors[0]!.message).toMatch(/over the 2000-byte limit/)

    out = split(clip.subarray(initEnd), () => 4096)
    expect(out.errors.map((e) => [e.code, e.message])).toEqual([
      ['out-of-order', 'a fragment before the init segment'],
    ])

    out = split(Buffer.concat([clip.subarray(0, initEnd), clip.subarray(0, initEnd)]), () => 999)
    expect(out.errors.map((e) => e.code)).toEqual(['out-of-order'])
  })

  it('answers the bytes of an incomplete box at the end', () => {
    const s = new Fmp4Splitter({ init: () => {}, fragment: () => {}, error: () => {} })
    s.push(clip.subarray(0, 5000))
    expect(s.end()).toBeGreaterThan(0)
  })
})

describe('Fmp4Splitter on real ffmpeg H.265 output', () => {
  it.each(['hvc1', 'hev1'])('computes the %s codec string from hvcC, matching the SPS', async (tag) => {
    const clip = await fragmentedClip('hevc', { seconds: 0.8, gop: 10, tag })
    const out = split(clip, randomSizes(5))
    expect(out.errors).toEqual([])
    const init = out.inits[0]!
    expect(init).toMatchObject({ codec: tag, width: 320, height: 240 })
    // The SPS's general profile_tier_level: after the 2-byte NAL header and one byte of ids.
    const { sps, keyPackets } = await withFile(clip, async (file) => ({
      sps: annexBNals(await annexB(file, 'hevc')).find((n) => ((n[0]! >> 1) & 0x3f) === 33),
      keyPackets: (await probe(file)).keyPackets,
    }))
    const ptl = unescapeRbsp(sps!).subarray(3, 15)
    expect(init.codecString).toBe(hevcCodecStringFromPtl(tag, ptl))
    // x265's Main profile at this size: compatible with Main (and Main 10), level 2, progressive frames.
    expect(init.codecString).toMatch(new RegExp(`^${tag}\\.1\\.6\\.L60\\.90$`))
    expect(out.fragments).toHaveLength(20)
    // x265 uses B-frames: in decode order the second keyframe comes before the two frames shown before it.
    expect(out.fragments.map((f) => f.keyframe)).toEqual(keyPackets)
    expect(keyPackets.filter(Boolean)).toHaveLength(2)
  })
})
