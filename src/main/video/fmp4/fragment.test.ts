import { describe, expect, it } from 'vitest'
import { parseMoof } from './fragment'

const u32 = (...ns: number[]) => Buffer.concat(ns.map((n) => Buffer.from([n >>> 24, n >>> 16, n >>> 8, n])))
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload)
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body])
}
const full = (version: number, flags: number) => u32(((version << 24) | flags) >>> 0)
const moof = (...trafs: Buffer[]) => box('moof', box('mfhd', full(0, 0), u32(7)), ...trafs)
const parse = (b: Buffer, defaults = { sampleDuration: 0, sampleFlags: 0 }) =>
  parseMoof(b, { type: 'moof', start: 0, payload: 8, end: b.length }, 1, defaults)

describe('parseMoof (hand-built fragments)', () => {
  it('reads per-sample durations and flags (trun 0x100/0x400), tfdt v0', () => {
    const b = moof(
      // Another track's traf first: ignored.
      box('traf', box('tfhd', full(0, 0x020000), u32(2)), box('trun', full(0, 0x100), u32(1), u32(999))),
      box(
        'traf',
        box('tfhd', full(0, 0x020000), u32(1)),
        box('tfdt', full(0, 0), u32(90_000)),
        box('trun', full(0, 0x701), u32(2), u32(0), u32(3000, 100, 0x02000000), u32(3003, 50, 0x01010000)),
      ),
    )
    expect(parse(b)).toEqual({
      sequence: 7,
      keyframe: true,
      baseMediaDecodeTime: 90_000,
      duration: 6003,
      sampleCount: 2,
    })
  })

  it('falls back to tfhd defaults, then to the trex defaults; reads a 64-bit tfdt', () => {
    const tfdt = box('tfdt', full(1, 0), u32(1, 0)) // 2^32
    const tfhdDefaults = box('tfhd', full(0, 0x020028), u32(1), u32(512), u32(0x01010000))
    const trun = box('trun', full(0, 0x001), u32(3), u32(0))
    expect(parse(moof(box('traf', tfhdDefaults, tfdt, trun)))).toMatchObject({
      keyframe: false,
      baseMediaDecodeTime: 2 ** 32,
      duration: 1536,
    })
    const bare = moof(box('traf', box('tfhd', full(0, 0x020000), u32(1)), tfdt, trun))
    expect(parse(bare, { sampleDuration: 100, sampleFlags: 0x02000000 })).toMatchObject({
      keyframe: true,
      duration: 300,
      sampleCount: 3,
    })
  })

  it('rejects a trun shorter than its samples', () => {
    const b = moof(box('traf', box('tfhd', full(0, 0), u32(1)), box('trun', full(0, 0x100), u32(5), u32(1))))
    expect(() => parse(b)).toThrow(/shorter than its samples/)
  })
})
