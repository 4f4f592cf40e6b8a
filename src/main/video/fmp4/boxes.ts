/**
 * ISO-BMFF (MP4) box reading: headers (32-bit size, 64-bit largesize, size 0 = to the end of the parent),
 * children of a container, and paths such as moov/trak/mdia. Offsets are into one Buffer; nothing is
 * copied. Malformed boxes throw an `Fmp4Error`.
 */

export type Fmp4ErrorCode =
  /** Not an fMP4 stream: an unknown top-level box, a size under 8, a child overrunning its parent. */
  | 'garbage'
  /** A box over the size limit. */
  | 'too-large'
  /** Boxes in an order fMP4 does not allow (a fragment before the init segment, moof without mdat...). */
  | 'out-of-order'
  /** The init segment has no usable video track. */
  | 'bad-init'
  /** A video codec this station cannot hand to a browser (not H.264 or H.265). */
  | 'unsupported-codec'

export class Fmp4Error extends Error {
  constructor(
    readonly code: Fmp4ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'Fmp4Error'
  }
}

/** One box inside a buffer: [start, end) is the whole box, payload starts at `payload`. */
export interface Box {
  type: string
  start: number
  payload: number
  end: number
}

/** Box type as text (four latin1 characters; printable or not). */
export function boxType(buf: Buffer, off: number): string {
  return buf.toString('latin1', off + 4, off + 8)
}

/**
 * The box starting at `off`, if its header fits before `end`: `size` is the whole box (header included),
 * undefined for size 0 ("to the end of the enclosing box or file"). Throws on a size under the header.
 */
export function readBoxHeader(
  buf: Buffer,
  off: number,
  end: number,
): { type: string; size: number | undefined; headerSize: number } | undefined {
  if (end - off < 8) return undefined
  const size32 = buf.readUInt32BE(off)
  const type = boxType(buf, off)
  if (size32 === 1) {
    if (end - off < 16) return undefined
    const large = buf.readBigUInt64BE(off + 8)
    if (large < 16n) throw new Fmp4Error('garbage', `box "${printable(type)}" has a 64-bit size under 16`)
    // Beyond 2^53 no limit applies anyway: the caller's size limit rejects it.
    const size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large)
    return { type, size, headerSize: 16 }
  }
  if (size32 === 0) return { type, size: undefined, headerSize: 8 }
  if (size32 < 8) throw new Fmp4Error('garbage', `box "${printable(type)}" has size ${size32} (under 8)`)
  return { type, size: size32, headerSize: 8 }
}

/** The boxes in [start, end) of a container's payload; a child overrunning the container throws. */
export function childBoxes(buf: Buffer, start: number, end: number): Box[] {
  const out: Box[] = []
  let off = start
  while (off < end) {
    const h = readBoxHeader(buf, off, end)
    if (!h) throw new Fmp4Error('garbage', `${end - off} stray bytes at the end of a box`)
    const boxEnd = h.size === undefined ? end : off + h.size
    if (boxEnd > end) throw new Fmp4Error('garbage', `box "${printable(h.type)}" overruns its parent`)
    out.push({ type: h.type, start: off, payload: off + h.headerSize, end: boxEnd })
    off = boxEnd
  }
  return out
}

/** The first child of the given type, if any. */
export function findChild(buf: Buffer, parent: Box, type: string): Box | undefined {
  return childBoxes(buf, parent.payload, parent.end).find((b) => b.type === type)
}

/** Follows a path of box types from `parent` (first match at each level). */
export function findPath(buf: Buffer, parent: Box, ...types: string[]): Box | undefined {
  let box: Box | undefined = parent
  for (const t of types) {
    box = box && findChild(buf, box, t)
    if (!box) return undefined
  }
  return box
}

/** Checks that a box has at least `n` payload bytes (full-box header included). */
export function need(box: Box, n: number): void {
  if (box.end - box.payload < n) throw new Fmp4Error('garbage', `box "${box.type}" is too short`)
}

/** A box type safe to put in a message (non-printable bytes as \xNN). */
export function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
