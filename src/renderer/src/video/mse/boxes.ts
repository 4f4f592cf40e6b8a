/**
 * A small ISO BMFF (MP4) box reader: enough of fragmented MP4 to tell an init segment from a fragment,
 * whether a fragment starts with a keyframe (the wire carries no flag: it is in the moof's tfhd/trun sample
 * flags, or the init's trex defaults), and its decode time and duration. Pure: runs on the page, in a worker
 * and under Node (the e2e test server splits ffmpeg's output with it).
 */

export interface Box {
  type: string
  /** Offset of the box's first byte. */
  start: number
  /** Offset of its content (after size, type and any 64-bit size). */
  body: number
  /** Offset just past the box (may lie beyond the data when it is incomplete). */
  end: number
}

const view = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset, d.byteLength)
const u32 = (d: Uint8Array, at: number) => view(d).getUint32(at)
const u64 = (d: Uint8Array, at: number) => Number(view(d).getBigUint64(at))
const fourcc = (d: Uint8Array, at: number) => String.fromCharCode(d[at]!, d[at + 1]!, d[at + 2]!, d[at + 3]!)
const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/**
 * The box header at `at`, or null when fewer bytes than a header are there or the size is impossible.
 * A size of 0 ("up to the end") runs to `limit`. `end` may exceed the data: the box is not complete yet.
 */
export function readBoxHeader(data: Uint8Array, at: number, limit = data.length): Box | null {
  if (at + 8 > data.length) return null
  const size = u32(data, at)
  const type = fourcc(data, at + 4)
  if (size === 1) {
    if (at + 16 > data.length) return null
    const large = u64(data, at + 8)
    return large < 16 ? null : { type, start: at, body: at + 16, end: at + large }
  }
  if (size === 0) return { type, start: at, body: at + 8, end: limit }
  return size < 8 ? null : { type, start: at, body: at + 8, end: at + size }
}

/** The complete boxes laid out from `start` to `end`; stops at the first incomplete or broken one. */
export function* boxes(data: Uint8Array, start = 0, end = data.length): Generator<Box> {
  let at = start
  while (at < end) {
    const b = readBoxHeader(data, at, end)
    if (!b || b.end > end) return
    yield b
    at = b.end
  }
}

/** The first child of `parent` (or top-level box, without a parent) of a type. */
export function child(data: Uint8Array, type: string, parent?: Box): Box | undefined {
  for (const b of boxes(data, parent?.body ?? 0, parent?.end ?? data.length)) if (b.type === type) return b
  return undefined
}

/** Follows a path of types down the tree: `find(d, 'moov', 'trak', 'mdia')`. */
export function find(data: Uint8Array, ...path: string[]): Box | undefined {
  let at: Box | undefined
  for (const type of path) {
    at = child(data, type, at)
    if (!at) return undefined
  }
  return at
}

export type SegmentKind = 'init' | 'fragment' | 'other'

/** What a binary message holds: an init segment (moov), a fragment (moof) or something else. */
export function segmentKind(data: Uint8Array): SegmentKind {
  for (const b of boxes(data)) {
    if (b.type === 'moov') return 'init'
    if (b.type === 'moof') return 'fragment'
  }
  return 'other'
}

// ---- sample flags (ISO/IEC 14496-12 8.8.3.1) ----

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
