/** Annex-B parsing: NAL units at start codes, access units, SPS/PPS before every keyframe. */
import { describe, expect, it } from 'vitest'
import { accessUnits, nalType, parseAnnexB, splitNalUnits } from './h264-annexb'

const SC4 = Buffer.from([0, 0, 0, 1])
const SC3 = Buffer.from([0, 0, 1])
const sps = Buffer.from([0x67, 0x64, 0x00, 0x1e, 0xac, 0xd9])
const pps = Buffer.from([0x68, 0xeb, 0xe3, 0xcb])
const sei = Buffer.from([0x06, 0x05, 0x01, 0x80])
/** A slice: first_mb_in_slice 0 sets the top bit of the byte after the header. */
const slice = (type: number, first = true, fill = 1) =>
  Buffer.from([0x40 | type, first ? 0x88 : 0x08, fill, 0x80])

describe('H.264 Annex-B', () => {
  it('splits NAL units at three- and four-byte start codes, leaving out trailing zero bytes', () => {
    const data = Buffer.concat([SC4, sps, SC3, pps, Buffer.from([0, 0]), SC4, slice(5)])
    expect(splitNalUnits(data)).toEqual([sps, pps, slice(5)])
  })

  it('groups NAL units into access units, by first_mb_in_slice and by non-VCL units after slices', () => {
    const nals = [
      sps,
      pps,
      sei,
      slice(5),
      slice(5, false),
      slice(1),
      slice(1, false, 2),
      Buffer.from([0x09, 0xf0]),
      slice(1),
    ]
    const units = accessUnits(nals)
    expect(units.map((u) => u.nals.map(nalType))).toEqual([[7, 8, 6, 5, 5], [1, 1], [1]])
    expect(units.map((u) => u.keyframe)).toEqual([true, false, false])
  })

  it('puts the SPS and PPS in front of every keyframe that lacks them', () => {
    const data = Buffer.concat([sps, pps, slice(5), slice(1), slice(5), slice(1)].flatMap((n) => [SC4, n]))
    const s = parseAnnexB(data)
    expect(s.profileLevelId).toBe('64001e')
    expect(s.units.map((u) => u.nals.map(nalType))).toEqual([[7, 8, 5], [1], [7, 8, 5], [1]])
  })

  it('refuses streams a client could not decode', () => {
    expect(() => parseAnnexB(Buffer.concat([SC4, pps, SC4, slice(5)]))).toThrow(/SPS/)
    expect(() => parseAnnexB(Buffer.concat([SC4, sps, SC4, slice(5)]))).toThrow(/PPS/)
    expect(() => parseAnnexB(Buffer.concat([SC4, sps, SC4, pps, SC4, slice(1)]))).toThrow(/IDR/)
  })
})
