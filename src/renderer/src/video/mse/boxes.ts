/**
 * A small ISO BMFF (MP4) box reader: box headers (32- and 64-bit sizes, incomplete boxes), children, paths,
 * and whether a message is an init segment or a fragment (fmp4-info.ts reads what is inside). Pure: runs on
 * the page, in a worker and under Node (the e2e test server splits ffmpeg's output with it).
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

/** Big-endian reads (MP4 integers are big-endian). */
export const view = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset, d.byteLength)
export const u32 = (d: Uint8Array, at: number) => view(d).getUint32(at)
export const u64 = (d: Uint8Array, at: number) => Number(view(d).getBigUint64(at))
export const fourcc = (d: Uint8Array, at: number) =>
  String.fromCharCode(d[at]!, d[at + 1]!, d[at + 2]!, d[at + 3]!)

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
