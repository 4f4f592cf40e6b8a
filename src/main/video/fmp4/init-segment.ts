/**
 * What a consumer needs to know from the init segment's moov: the first video track's id, codec, MSE codec
 * string, coded size and timescale, and its trex defaults (used when a fragment leaves durations or sample
 * flags out).
 */
import { Fmp4Error, childBoxes, findChild, findPath, need, printable, type Box } from './boxes'
import { avcCodecString, hevcCodecString } from './codec-string'

export type VideoCodec = 'avc1' | 'avc3' | 'hvc1' | 'hev1'

export interface VideoTrackInfo {
  trackId: number
  /** The sample entry's four-character code. */
  codec: VideoCodec
  /** For MSE, e.g. `avc1.64001F` or `hvc1.1.6.L93.B0`. */
  codecString: string
  /** `video/mp4; codecs="<codecString>"`. */
  mimeType: string
  /** Coded size from the sample entry. */
  width: number
  height: number
  /** Media timescale (ticks per second) of the track: tfdt times and durations are in these ticks. */
  timescale: number
}

/** Track defaults from moov/mvex/trex, for fragments that do not carry their own. */
export interface TrackDefaults {
  sampleDuration: number
  sampleFlags: number
}

export interface ParsedInit {
  track: VideoTrackInfo
  defaults: TrackDefaults
}

/** Parses a moov box (whole box in `buf` at [start, end)). */
export function parseMoov(buf: Buffer, moov: Box): ParsedInit {
  const traks = childBoxes(buf, moov.payload, moov.end).filter((b) => b.type === 'trak')
  for (const trak of traks) {
    const hdlr = findPath(buf, trak, 'mdia', 'hdlr')
    if (!hdlr) continue
    need(hdlr, 12)
    if (buf.toString('latin1', hdlr.payload + 8, hdlr.payload + 12) !== 'vide') continue
    return { track: videoTrack(buf, trak), defaults: trackDefaults(buf, moov, trackIdOf(buf, trak)) }
  }
  throw new Fmp4Error('bad-init', 'the init segment has no video track')
}

function trackIdOf(buf: Buffer, trak: Box): number {
  const tkhd = findChild(buf, trak, 'tkhd')
  if (!tkhd) throw new Fmp4Error('bad-init', 'video track without tkhd')
  need(tkhd, 24)
  return buf.readUInt32BE(tkhd.payload + (buf[tkhd.payload] === 1 ? 20 : 12))
}

function videoTrack(buf: Buffer, trak: Box): VideoTrackInfo {
  const trackId = trackIdOf(buf, trak)
  const mdhd = findPath(buf, trak, 'mdia', 'mdhd')
  if (!mdhd) throw new Fmp4Error('bad-init', 'video track without mdhd')
  need(mdhd, 24)
  const timescale = buf.readUInt32BE(mdhd.payload + (buf[mdhd.payload] === 1 ? 20 : 12))
  if (timescale === 0) throw new Fmp4Error('bad-init', 'video track with timescale 0')
  const stsd = findPath(buf, trak, 'mdia', 'minf', 'stbl', 'stsd')
  if (!stsd) throw new Fmp4Error('bad-init', 'video track without stsd')
  need(stsd, 8)
  const entry = childBoxes(buf, stsd.payload + 8, stsd.end)[0]
  if (!entry) throw new Fmp4Error('bad-init', 'video track without a sample entry')
  const codec = entry.type
  if (codec !== 'avc1' && codec !== 'avc3' && codec !== 'hvc1' && codec !== 'hev1') {
    throw new Fmp4Error('unsupported-codec', `video codec "${printable(codec)}" is not H.264 or H.265`)
  }
  // VisualSampleEntry: 8 bytes SampleEntry, 16 reserved/pre-defined, width, height, ... children at 78.
  need(entry, 78)
  const width = buf.readUInt16BE(entry.payload + 24)
  const height = buf.readUInt16BE(entry.payload + 26)
  const children = childBoxes(buf, entry.payload + 78, entry.end)
  const configType = codec.startsWith('avc') ? 'avcC' : 'hvcC'
  const config = children.find((b) => b.type === configType)
  if (!config) throw new Fmp4Error('bad-init', `${codec} sample entry without ${configType}`)
  const record = buf.subarray(config.payload, config.end)
  const codecString = configType === 'avcC' ? avcCodecString(codec, record) : hevcCodecString(codec, record)
  return {
    trackId,
    codec,
    codecString,
    mimeType: `video/mp4; codecs="${codecString}"`,
    width,
    height,
    timescale,
  }
}

function trackDefaults(buf: Buffer, moov: Box, trackId: number): TrackDefaults {
  const mvex = findChild(buf, moov, 'mvex')
  const trex = mvex
    ? childBoxes(buf, mvex.payload, mvex.end).find(
        (b) => b.type === 'trex' && b.end - b.payload >= 24 && buf.readUInt32BE(b.payload + 4) === trackId,
      )
    : undefined
  if (!trex) return { sampleDuration: 0, sampleFlags: 0 }
  return {
    sampleDuration: buf.readUInt32BE(trex.payload + 12),
    sampleFlags: buf.readUInt32BE(trex.payload + 20),
  }
}
