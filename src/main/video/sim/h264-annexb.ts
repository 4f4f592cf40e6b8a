/**
 * H.264 Annex-B elementary streams (ITU-T H.264 annex B): NAL units split at start codes, grouped into
 * access units (one picture each, 7.4.1.2.3), with the stream's SPS and PPS. Parsed once when a simulated
 * RTSP path starts; the bytes are then served as they are, never re-encoded.
 */

export const NAL_SLICE = 1
export const NAL_IDR = 5
export const NAL_SEI = 6
export const NAL_SPS = 7
export const NAL_PPS = 8
export const NAL_AUD = 9

export const nalType = (nal: Buffer): number => nal[0]! & 0x1f

export interface AccessUnit {
  /** NAL units without start codes, in decoding order. */
  nals: Buffer[]
  /** Holds an IDR slice (a decoder can start here). */
  keyframe: boolean
}

export interface H264Stream {
  sps: Buffer
  pps: Buffer
  /** profile_idc, constraint flags and level_idc from the SPS, as six hex digits (SDP profile-level-id). */
  profileLevelId: string
  units: AccessUnit[]
}

/** NAL units of an Annex-B byte stream (start codes 00 00 01 or 00 00 00 01; trailing zero bytes dropped). */
export function splitNalUnits(data: Buffer): Buffer[] {
  const nals: Buffer[] = []
  let start = -1
  let i = 0
  const n = data.length
  while (i + 2 < n) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) pushNal(nals, data, start, i)
      i += 3
      start = i
    } else {
      i++
    }
  }
  if (start >= 0) pushNal(nals, data, start, n)
  return nals
}

function pushNal(out: Buffer[], data: Buffer, from: number, to: number): void {
  // The zero before a four-byte start code (and any trailing_zero_8bits) is not part of the NAL unit.
  while (to > from && data[to - 1] === 0) to--
  if (to > from) out.push(data.subarray(from, to))
}

const isVcl = (type: number) => type >= 1 && type <= 5
/** NAL types that, after a picture's slices, open the next access unit (7.4.1.2.3). */
const opensUnit = (type: number) => (type >= 6 && type <= 9) || (type >= 14 && type <= 18)

/**
 * Groups NAL units into access units: a new one starts at an AUD/SPS/PPS/SEI after a slice, or at a slice
 * whose first_mb_in_slice is 0 (its first coded bit, ue(v) = 0, is a 1) after a slice.
 */
export function accessUnits(nals: Buffer[]): AccessUnit[] {
  const units: AccessUnit[] = []
  let current: AccessUnit = { nals: [], keyframe: false }
  let sawSlice = false
  for (const nal of nals) {
    const type = nalType(nal)
    const firstSliceOfPicture = isVcl(type) && nal.length > 1 && (nal[1]! & 0x80) !== 0
    if (sawSlice && (opensUnit(type) || firstSliceOfPicture)) {
      units.push(current)
      current = { nals: [], keyframe: false }
      sawSlice = false
    }
    if (type === NAL_AUD) continue // optional, and RTP marks picture boundaries itself
    current.nals.push(nal)
    if (isVcl(type)) sawSlice = true
    if (type === NAL_IDR) current.keyframe = true
  }
  if (sawSlice) units.push(current)
  return units
}

/**
 * Parses a whole Annex-B stream. Every keyframe gets the SPS and PPS in front if the encoder did not repeat
 * them, so a client joining at any keyframe can decode. Throws when the stream has no SPS, PPS or IDR.
 */
export function parseAnnexB(data: Buffer): H264Stream {
  const nals = splitNalUnits(data)
  const sps = nals.find((n) => nalType(n) === NAL_SPS)
  const pps = nals.find((n) => nalType(n) === NAL_PPS)
  if (!sps || sps.length < 4) throw new Error('H.264 stream without an SPS')
  if (!pps) throw new Error('H.264 stream without a PPS')
  const units = accessUnits(nals)
  if (!units.some((u) => u.keyframe)) throw new Error('H.264 stream without an IDR picture')
  for (const u of units) {
    if (!u.keyframe) continue
    const types = u.nals.map(nalType)
    const prefix: Buffer[] = []
    if (!types.includes(NAL_SPS)) prefix.push(sps)
    if (!types.includes(NAL_PPS)) prefix.push(pps)
    if (prefix.length) u.nals.unshift(...prefix)
  }
  return { sps, pps, profileLevelId: sps.subarray(1, 4).toString('hex'), units }
}
