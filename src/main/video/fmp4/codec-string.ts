/**
 * Codec strings for MSE (`MediaSource.isTypeSupported('video/mp4; codecs="..."')`), per RFC 6381 and
 * ISO/IEC 14496-15 Annex E, from the decoder configuration boxes of the init segment.
 */
import { Fmp4Error } from './boxes'

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0')

/**
 * `avc1.PPCCLL` (or `avc3.`): profile_idc, constraint flags and level_idc, the three bytes after the
 * version in the AVCDecoderConfigurationRecord (they copy the SPS's bytes 1-3).
 */
export function avcCodecString(fourcc: string, avcC: Buffer): string {
  if (avcC.length < 4 || avcC[0] !== 1) throw new Fmp4Error('bad-init', 'avcC box is missing or malformed')
  return `${fourcc}.${hex2(avcC[1]!)}${hex2(avcC[2]!)}${hex2(avcC[3]!)}`
}

/**
 * `hvc1.<space><profile>.<compat>.<tier><level>.<constraints>` (or `hev1.`) from the
 * HEVCDecoderConfigurationRecord: profile space as '', A, B, C; profile_idc in decimal; the 32
 * compatibility flags bit-reversed, in hex without leading zeros; L or H then level_idc in decimal; the six
 * constraint bytes in hex, trailing zero bytes left out. Example: Main profile, level 3.1 is
 * `hvc1.1.6.L93.B0`.
 */
export function hevcCodecString(fourcc: string, hvcC: Buffer): string {
  if (hvcC.length < 13 || hvcC[0] !== 1) throw new Fmp4Error('bad-init', 'hvcC box is missing or malformed')
  return hevcCodecStringFromPtl(fourcc, hvcC.subarray(1, 13))
}

/**
 * The same from the 12 bytes of a general profile_tier_level (hvcC bytes 1-12, or the SPS's bytes after
 * its first byte of fields): space/tier/profile, 4 compatibility bytes, 6 constraint bytes, level.
 */
export function hevcCodecStringFromPtl(fourcc: string, ptl: Uint8Array): string {
  const b0 = ptl[0]!
  const space = ['', 'A', 'B', 'C'][b0 >> 6]!
  const tier = b0 & 0x20 ? 'H' : 'L'
  const profile = b0 & 0x1f
  const compat = ((ptl[1]! << 24) | (ptl[2]! << 16) | (ptl[3]! << 8) | ptl[4]!) >>> 0
  let reversed = 0
  for (let i = 0; i < 32; i++) if (compat & (1 << i)) reversed |= 1 << (31 - i)
  const constraints = Array.from(ptl.subarray(5, 11))
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop()
  const level = ptl[11]!
  const parts = [
    fourcc,
    `${space}${profile}`,
    (reversed >>> 0).toString(16).toUpperCase(),
    `${tier}${level}`,
    ...constraints.map(hex2),
  ]
  return parts.join('.')
}
