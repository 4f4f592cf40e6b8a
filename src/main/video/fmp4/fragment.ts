/**
 * What a consumer needs to know about one fragment (moof + mdat) of the video track: does it start with a
 * keyframe (sync sample), its decode time (tfdt), duration and sample count. Only the video track's traf is
 * read; other tracks' trafs are left alone.
 */
import { Fmp4Error, childBoxes, need, type Box } from './boxes'
import type { TrackDefaults } from './init-segment'

export interface FragmentInfo {
  /** mfhd sequence number. */
  sequence: number
  /** The fragment's first video sample is a sync sample (a keyframe: decoding can start here). */
  keyframe: boolean
  /** tfdt of the video track, in timescale ticks; null when the fragment has none. */
  baseMediaDecodeTime: number | null
  /** Sum of the video samples' durations, in timescale ticks. */
  duration: number
  sampleCount: number
}

// tfhd flags
const BASE_DATA_OFFSET = 0x000001
const SAMPLE_DESCRIPTION_INDEX = 0x000002
const DEFAULT_DURATION = 0x000008
const DEFAULT_SIZE = 0x000010
const DEFAULT_FLAGS = 0x000020
// trun flags
const DATA_OFFSET = 0x000001
const FIRST_SAMPLE_FLAGS = 0x000004
const SAMPLE_DURATION = 0x000100
const SAMPLE_SIZE = 0x000200
const SAMPLE_FLAGS = 0x000400
const SAMPLE_CTO = 0x000800

/**
 * A sample is a sync sample when it depends on no other (sample_depends_on == 2) or is not marked
 * non-sync (sample_is_non_sync_sample == 0), as ISO/IEC 14496-12 8.8.3.1 defines the flags.
 */
export function isSyncSample(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3
  const nonSync = (flags >>> 16) & 0x1
  return dependsOn === 2 || nonSync === 0
}

export function parseMoof(buf: Buffer, moof: Box, trackId: number, defaults: TrackDefaults): FragmentInfo {
  let sequence = 0
  let traf: Box | undefined
  for (const child of childBoxes(buf, moof.payload, moof.end)) {
    if (child.type === 'mfhd') {
      need(child, 8)
      sequence = buf.readUInt32BE(child.payload + 4)
    } else if (child.type === 'traf' && !traf) {
      const tfhd = childBoxes(buf, child.payload, child.end).find((b) => b.type === 'tfhd')
      if (tfhd && tfhd.end - tfhd.payload >= 8 && buf.readUInt32BE(tfhd.payload + 4) === trackId) traf = child
    }
  }
  if (!traf) return { sequence, keyframe: false, baseMediaDecodeTime: null, duration: 0, sampleCount: 0 }

  let defaultDuration = defaults.sampleDuration
  let defaultFlags = defaults.sampleFlags
  let baseMediaDecodeTime: number | null = null
  let keyframe: boolean | undefined
  let duration = 0
  let sampleCount = 0
  for (const box of childBoxes(buf, traf.payload, traf.end)) {
    if (box.type === 'tfhd') {
      const flags = buf.readUInt32BE(box.payload) & 0xffffff
      let p = box.payload + 8
      if (flags & BASE_DATA_OFFSET) p += 8
      if (flags & SAMPLE_DESCRIPTION_INDEX) p += 4
      const fields = [DEFAULT_DURATION, DEFAULT_SIZE, DEFAULT_FLAGS].filter((f) => flags & f).length
      need(box, p - box.payload + fields * 4)
      if (flags & DEFAULT_DURATION) {
        defaultDuration = buf.readUInt32BE(p)
        p += 4
      }
      if (flags & DEFAULT_SIZE) p += 4
      if (flags & DEFAULT_FLAGS) defaultFlags = buf.readUInt32BE(p)
    } else if (box.type === 'tfdt') {
      need(box, 8)
      const v1 = buf[box.payload] === 1
      if (v1) need(box, 12)
      baseMediaDecodeTime = v1
        ? Number(buf.readBigUInt64BE(box.payload + 4))
        : buf.readUInt32BE(box.payload + 4)
    } else if (box.type === 'trun') {
      need(box, 8)
      const flags = buf.readUInt32BE(box.payload) & 0xffffff
      const count = buf.readUInt32BE(box.payload + 4)
      let p = box.payload + 8
      if (flags & DATA_OFFSET) p += 4
      let firstFlags: number | undefined
      if (flags & FIRST_SAMPLE_FLAGS) {
        need(box, p + 4 - box.payload)
        firstFlags = buf.readUInt32BE(p)
        p += 4
      }
      const perSample = [SAMPLE_DURATION, SAMPLE_SIZE, SAMPLE_FLAGS, SAMPLE_CTO].filter(
        (f) => flags & f,
      ).length
      if (box.end - p < count * perSample * 4)
        throw new Fmp4Error('garbage', 'trun is shorter than its samples')
      if (keyframe === undefined && count > 0) {
        const flagsOffset = p + (flags & SAMPLE_DURATION ? 4 : 0) + (flags & SAMPLE_SIZE ? 4 : 0)
        const first = firstFlags ?? (flags & SAMPLE_FLAGS ? buf.readUInt32BE(flagsOffset) : defaultFlags)
        keyframe = isSyncSample(first)
      }
      if (flags & SAMPLE_DURATION) {
        for (let i = 0; i < count; i++) duration += buf.readUInt32BE(p + i * perSample * 4)
      } else {
        duration += count * defaultDuration
      }
      sampleCount += count
    }
  }
  return { sequence, keyframe: keyframe ?? false, baseMediaDecodeTime, duration, sampleCount }
}
