import { describe, expect, it } from 'vitest'
import { avcCodecString, hevcCodecString } from './codec-string'
import { isSyncSample } from './fragment'

const hvcC = (ptl: number[]) => Buffer.from([1, ...ptl, 0xf0, 0, 0xfc])

describe('codec strings', () => {
  it('builds avc1.PPCCLL from the avcC record', () => {
    expect(avcCodecString('avc1', Buffer.from([1, 0x64, 0x00, 0x1f, 0xff]))).toBe('avc1.64001F')
    expect(avcCodecString('avc3', Buffer.from([1, 0x42, 0xc0, 0x0d, 0xff]))).toBe('avc3.42C00D')
    expect(() => avcCodecString('avc1', Buffer.from([0, 0x64]))).toThrow(/avcC/)
  })

  it('builds HEVC strings per ISO/IEC 14496-15 Annex E', () => {
    // Main, level 3.1: compatibility flags 1 and 2 (0x60000000), bit-reversed 0x6; progressive + frame-only.
    expect(hevcCodecString('hvc1', hvcC([0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93]))).toBe(
      'hvc1.1.6.L93.B0',
    )
    // Main 10, level 4.
    expect(hevcCodecString('hvc1', hvcC([0x02, 0x20, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 120]))).toBe(
      'hvc1.2.4.L120.B0',
    )
    // Profile space 1 (A), high tier, flags 0 and 6 (0x82000000 reversed is 0x41), two constraint bytes.
    expect(hevcCodecString('hev1', hvcC([0x64, 0x82, 0, 0, 0, 0xb0, 0x23, 0, 0, 0, 0, 120]))).toBe(
      'hev1.A4.41.H120.B0.23',
    )
    // No constraint flags at all: nothing after the level.
    expect(hevcCodecString('hvc1', hvcC([0x01, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60]))).toBe('hvc1.1.6.L60')
    expect(() => hevcCodecString('hvc1', Buffer.from([1, 2, 3]))).toThrow(/hvcC/)
  })
})

describe('sample flags', () => {
  it('reads sync samples from sample_depends_on and sample_is_non_sync_sample', () => {
    expect(isSyncSample(0x02000000)).toBe(true) // depends on no other (ffmpeg's keyframes)
    expect(isSyncSample(0x01010000)).toBe(false) // depends on others, non-sync (ffmpeg's other frames)
    expect(isSyncSample(0x00010000)).toBe(false) // non-sync
    expect(isSyncSample(0x00000000)).toBe(true) // nothing said: a sync sample
  })
})
