/**
 * The little the station needs to know about JPEG: is this a whole JPEG (SOI at the start, EOI at the end),
 * its dimensions, and the capture time a camera (or the simulator) put in a COM segment. The station never
 * decodes or re-encodes a frame: it relays the bytes it received.
 */

/** Smallest plausible JPEG (SOI, a few segments, EOI). */
export const MIN_JPEG_BYTES = 125
/** Prefix of the COM segment that carries a frame's capture time (ms since the epoch, fractional). */
export const CAPTURE_COMMENT_PREFIX = 'GSCAP '

/** Why `buf` is not a whole JPEG, or null when it is. Trailing CR/LF/NUL padding after EOI is tolerated. */
export function jpegProblem(buf: Uint8Array): string | null {
  if (buf.length < MIN_JPEG_BYTES) return `not a JPEG: ${buf.length} bytes is too short`
  if (buf[0] !== 0xff || buf[1] !== 0xd8 || buf[2] !== 0xff) return 'not a JPEG: no SOI marker at the start'
  let end = buf.length
  // A few cameras pad a frame; allow a little padding, never an arbitrary tail.
  const limit = Math.max(2, buf.length - 16)
  while (end > limit && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d || buf[end - 1] === 0x00)) end--
  if (buf[end - 2] !== 0xff || buf[end - 1] !== 0xd9) return 'truncated JPEG: no EOI marker at the end'
  return null
}

export function isJpeg(buf: Uint8Array): boolean {
  return jpegProblem(buf) === null
}

interface Segment {
  marker: number
  /** Offset of the segment's payload (after the length field). */
  start: number
  length: number
}

/** Walks the marker segments after SOI up to SOS (the header part only: cheap, bounded by the buffer). */
function* segments(buf: Uint8Array): Generator<Segment> {
  let i = 2
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return
    const marker = buf[i + 1]!
    if (marker === 0xff) {
      i++ // fill byte
      continue
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2
      continue
    }
    const len = (buf[i + 2]! << 8) | buf[i + 3]!
    if (len < 2 || i + 2 + len > buf.length) return
    yield { marker, start: i + 4, length: len - 2 }
    if (marker === 0xda || marker === 0xd9) return
    i += 2 + len
  }
}

/** Width and height from the frame header (SOF0..SOF15 except DHT/JPG/DAC). */
export function jpegDimensions(buf: Uint8Array): { width: number; height: number } | undefined {
  for (const s of segments(buf)) {
    const m = s.marker
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc && s.length >= 5) {
      return {
        height: (buf[s.start + 1]! << 8) | buf[s.start + 2]!,
        width: (buf[s.start + 3]! << 8) | buf[s.start + 4]!,
      }
    }
  }
  return undefined
}

/** The capture time (ms since the epoch) a COM segment carries, if any. */
export function readCaptureTime(buf: Uint8Array): number | undefined {
  for (const s of segments(buf)) {
    if (s.marker !== 0xfe) continue
    const text = Buffer.from(buf.buffer, buf.byteOffset + s.start, Math.min(s.length, 200)).toString('latin1')
    if (!text.startsWith(CAPTURE_COMMENT_PREFIX)) continue
    const m = /t=([0-9.]+)/.exec(text)
    if (m) return Number(m[1])
  }
  return undefined
}

/** The text of the COM segment a frame carries first, if any (for tests and tools). */
export function readComment(buf: Uint8Array): string | undefined {
  for (const s of segments(buf)) {
    if (s.marker === 0xfe) {
      return Buffer.from(buf.buffer, buf.byteOffset + s.start, s.length).toString('latin1')
    }
  }
  return undefined
}
