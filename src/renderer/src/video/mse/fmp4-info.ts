/**
 * What fragmented MP4 says about itself, read with boxes.ts: an init segment's tracks (timescale, trex
 * defaults, the H.264 codec string from avcC, picture size) and a fragment's first track run: whether it
 * starts with a keyframe (the wire carries no flag: it is in the moof's tfhd/trun sample flags, or the init's
 * trex defaults), its decode time, duration and frame count. Pure.
 */
import { boxes, child, find, fourcc, readBoxHeader, u32, u64, view, type Box } from './boxes'

const hex2 = (n: number) => n.toString(16).padStart(2, '0')

// Sample flags: ISO/IEC 14496-12 8.8.3.1.
/** A sample that is not a sync sample, or one that depends on others, is no keyframe. */
export function isKeyframeFlags(flags: number): boolean {
  const nonSync = (flags >>> 16) & 1
  const dependsOn = (flags >>> 24) & 3
  return nonSync === 0 && dependsOn !== 1
}

// ---- init segment ----

export interface TrackInfo {
  id: number
  handler: string
  timescale: number
  /** trex defaults, used when a fragment does not say. */
  defaultDuration: number
  defaultFlags: number
  /** The sample entry's type (avc1, hvc1, ...) and, for H.264, the full codec string (avc1.PPCCLL). */
  sampleEntry: string | null
  codec: string | null
  width: number | null
  height: number | null
}

export interface InitInfo {
  tracks: TrackInfo[]
  /** The first video track. */
  video: TrackInfo | null
}

/** The tracks of an init segment (ftyp+moov), or null when it holds no moov. */
export function parseInit(data: Uint8Array): InitInfo | null {
  const moov = find(data, 'moov')
  if (!moov) return null
  const defaults = new Map<number, { duration: number; flags: number }>()
  const mvex = child(data, 'mvex', moov)
  if (mvex)
    for (const trex of boxes(data, mvex.body, mvex.end)) {
      if (trex.type !== 'trex' || trex.end - trex.body < 24) continue
      const b = trex.body
      defaults.set(u32(data, b + 4), { duration: u32(data, b + 12), flags: u32(data, b + 20) })
    }
  const tracks: TrackInfo[] = []
  for (const trak of boxes(data, moov.body, moov.end)) {
    if (trak.type !== 'trak') continue
    const t = parseTrak(data, trak)
    if (!t) continue
    const d = defaults.get(t.id)
    tracks.push({ ...t, defaultDuration: d?.duration ?? 0, defaultFlags: d?.flags ?? 0 })
  }
  return { tracks, video: tracks.find((t) => t.handler === 'vide') ?? null }
}

function parseTrak(data: Uint8Array, trak: Box): Omit<TrackInfo, 'defaultDuration' | 'defaultFlags'> | null {
  const tkhd = child(data, 'tkhd', trak)
  const mdia = child(data, 'mdia', trak)
  if (!tkhd || !mdia) return null
  const mdhd = child(data, 'mdhd', mdia)
  const hdlr = child(data, 'hdlr', mdia)
  if (!mdhd || !hdlr) return null
  const v1 = (b: Box) => data[b.body] === 1
  const id = u32(data, tkhd.body + (v1(tkhd) ? 20 : 12))
  const timescale = u32(data, mdhd.body + (v1(mdhd) ? 20 : 12))
  const handler = fourcc(data, hdlr.body + 8)
  // stsd: version/flags, entry count, then the sample entries.
  const stsd = stsdOf(data, mdia)
  const entry = stsd ? readBoxHeader(data, stsd.body + 8, stsd.end) : null
  const track = {
    id,
    handler,
    timescale,
    sampleEntry: entry?.type ?? null,
    codec: null,
    width: null,
    height: null,
  }
  if (!stsd || !entry || entry.end > stsd.end || handler !== 'vide') return track
  // Visual sample entry: 6 reserved, data reference index, 16 pre-defined/reserved, then width and
  // height; its child boxes (avcC, ...) start 78 bytes into the body.
  const avcC = [...boxes(data, entry.body + 78, entry.end)].find((b) => b.type === 'avcC')
  const profile = avcC && avcC.end - avcC.body >= 4 ? data.subarray(avcC.body + 1, avcC.body + 4) : null
  return {
    ...track,
    width: view(data).getUint16(entry.body + 24),
    height: view(data).getUint16(entry.body + 26),
    codec: profile ? `${entry.type}.${[...profile].map(hex2).join('')}` : null,
  }
}

function stsdOf(data: Uint8Array, mdia: Box): Box | undefined {
  const minf = child(data, 'minf', mdia)
  const stbl = minf && child(data, 'stbl', minf)
  return stbl && child(data, 'stsd', stbl)
}

// ---- fragments ----

export interface FragmentInfo {
  trackId: number
  /** The fragment's first sample is a sync sample: decoding can start here. */
  keyframe: boolean
  samples: number
  /** tfdt's base media decode time, in the track's timescale (null when the fragment has none). */
  decodeTime: number | null
  /** Sum of the sample durations, in the track's timescale. */
  duration: number
  /** From the init segment (null when it is not known). */
  timescale: number | null
}

/**
 * The first track run of a fragment (moof+mdat), for the init's video track when one is given. Sample flags
 * and durations come from trun, else tfhd's defaults, else the init's trex defaults.
 */
export function parseFragment(data: Uint8Array, init?: InitInfo | null): FragmentInfo | null {
  const moof = find(data, 'moof')
  if (!moof) return null
  const want = init?.video?.id
  for (const traf of boxes(data, moof.body, moof.end)) {
    if (traf.type !== 'traf') continue
    const tfhd = child(data, 'tfhd', traf)
    if (!tfhd || tfhd.end - tfhd.body < 8) continue
    const trackId = u32(data, tfhd.body + 4)
    if (want !== undefined && trackId !== want) continue
    const track = init?.tracks.find((t) => t.id === trackId)
    return parseTraf(data, traf, tfhd, trackId, track)
  }
  return null
}

function parseTraf(
  data: Uint8Array,
  traf: Box,
  tfhd: Box,
  trackId: number,
  track: TrackInfo | undefined,
): FragmentInfo {
  let defaultDuration = track?.defaultDuration ?? 0
  let defaultFlags = track?.defaultFlags ?? 0
  const tf = u32(data, tfhd.body) & 0xffffff
  let at = tfhd.body + 8
  if (tf & 0x1) at += 8 // base data offset
  if (tf & 0x2) at += 4 // sample description index
  if (tf & 0x8) defaultDuration = u32(data, (at += 4) - 4)
  if (tf & 0x10) at += 4 // default sample size
  if (tf & 0x20) defaultFlags = u32(data, at)

  const tfdt = child(data, 'tfdt', traf)
  const decodeTime = tfdt
    ? data[tfdt.body] === 1
      ? u64(data, tfdt.body + 4)
      : u32(data, tfdt.body + 4)
    : null

  let samples = 0
  let duration = 0
  let firstFlags: number | null = null
  for (const trun of boxes(data, traf.body, traf.end)) {
    if (trun.type !== 'trun') continue
    const f = u32(data, trun.body) & 0xffffff
    const count = u32(data, trun.body + 4)
    let p = trun.body + 8
    if (f & 0x1) p += 4 // data offset
    let first: number | null = null
    if (f & 0x4) first = u32(data, (p += 4) - 4)
    // Per-sample fields present (duration, size, flags, composition offset): 4 bytes each.
    const per = 4 * [0x100, 0x200, 0x400, 0x800].filter((bit) => f & bit).length
    const n = per ? Math.min(count, Math.floor((trun.end - p) / per)) : count
    for (let i = 0; i < n; i++) {
      let d = defaultDuration
      let flags = i === 0 && first !== null ? first : defaultFlags
      if (f & 0x100) d = u32(data, (p += 4) - 4)
      if (f & 0x200) p += 4 // size
      if (f & 0x400) {
        const own = u32(data, (p += 4) - 4)
        if (!(i === 0 && first !== null)) flags = own
      }
      if (f & 0x800) p += 4 // composition time offset
      if (firstFlags === null) firstFlags = flags
      duration += d
    }
    samples += count
  }
  return {
    trackId,
    keyframe: firstFlags !== null && isKeyframeFlags(firstFlags),
    samples,
    decodeTime,
    duration,
    timescale: track?.timescale ?? null,
  }
}
