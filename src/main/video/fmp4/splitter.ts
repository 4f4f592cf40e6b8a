/**
 * Streaming splitter of fragmented MP4 (ffmpeg's `-movflags frag_every_frame+empty_moov+default_base_moof`
 * on a pipe): fed chunks as they come (a box split over several chunks, several boxes in one), it hands out
 * the init segment (ftyp + moov) once, then each fragment (moof + mdat) as one Buffer, with what a relay
 * needs to know about it. A unit that sits in one input chunk is a view of that chunk (no copy); one spread
 * over several chunks is copied once.
 *
 * Memory is bounded: a box over `maxBoxBytes` is an error, and so is anything that is not fMP4 (an unknown
 * top-level box, a size under 8, a fragment before the init segment). After an error the splitter ignores
 * further input: the caller restarts the source.
 */
import { Fmp4Error, printable, readBoxHeader } from './boxes'
import { parseMoof, type FragmentInfo } from './fragment'
import { parseMoov, type ParsedInit, type VideoTrackInfo } from './init-segment'

export const DEFAULT_MAX_BOX_BYTES = 8 * 1024 * 1024

export interface InitSegment extends VideoTrackInfo {
  /** ftyp + moov, as MSE wants it first. */
  data: Buffer
}

export interface Fragment extends FragmentInfo {
  /** moof + mdat. */
  data: Buffer
  byteLength: number
}

export interface Fmp4Handlers {
  init(init: InitSegment): void
  fragment(fragment: Fragment): void
  /** The stream is not usable fMP4; nothing more is emitted. */
  error(error: Fmp4Error): void
}

export interface Fmp4SplitterOptions {
  maxBoxBytes?: number
}

/** Top-level boxes that may appear in a fragmented stream and carry nothing a relay needs. */
const SKIPPED = new Set([
  'free',
  'skip',
  'styp',
  'sidx',
  'ssix',
  'mfra',
  'emsg',
  'prft',
  'uuid',
  'meta',
  'pdin',
])

export class Fmp4Splitter {
  private chunks: Buffer[] = []
  private queued = 0
  /** Bytes of a skipped box still to come (dropped as they arrive, never buffered). */
  private skipLeft = 0
  /** Nothing can be done before this many bytes are queued (spares re-reading headers chunk by chunk). */
  private waitFor = 0
  private ftyp: Buffer | undefined
  private parsed: ParsedInit | undefined
  private readonly maxBoxBytes: number
  private failure: Fmp4Error | undefined
  /** Bytes pushed so far. */
  bytesIn = 0
  fragments = 0

  constructor(
    private readonly on: Fmp4Handlers,
    options: Fmp4SplitterOptions = {},
  ) {
    this.maxBoxBytes = options.maxBoxBytes ?? DEFAULT_MAX_BOX_BYTES
  }

  get failed(): Fmp4Error | undefined {
    return this.failure
  }

  get init(): VideoTrackInfo | undefined {
    return this.parsed?.track
  }

  push(chunk: Buffer): void {
    if (this.failure || chunk.length === 0) return
    this.bytesIn += chunk.length
    this.chunks.push(chunk)
    this.queued += chunk.length
    try {
      this.drain()
    } catch (err) {
      this.fail(
        err instanceof Fmp4Error ? err : new Fmp4Error('garbage', `malformed box: ${(err as Error).message}`),
      )
    }
  }

  /** The input ended: answers how many bytes of an incomplete box were left (0 after a clean end). */
  end(): number {
    const left = this.queued
    this.chunks = []
    this.queued = 0
    return left
  }

  private fail(error: Fmp4Error): void {
    if (this.failure) return
    this.failure = error
    this.chunks = []
    this.queued = 0
    this.on.error(error)
  }

  private drain(): void {
    while (!this.failure) {
      if (this.skipLeft > 0) {
        const n = Math.min(this.skipLeft, this.queued)
        this.drop(n)
        this.skipLeft -= n
        if (this.skipLeft > 0) return
        continue
      }
      if (this.queued < this.waitFor) return
      this.waitFor = 0
      const h = this.header(0)
      if (!h) return
      const { type, size } = h
      if (type === 'moof') {
        const next = this.header(size)
        if (!next) return this.wait(size + 8)
        if (next.type !== 'mdat') {
          throw new Fmp4Error('out-of-order', `moof followed by "${printable(next.type)}", not mdat`)
        }
        if (this.queued < size + next.size) return this.wait(size + next.size)
        this.fragment(this.take(size + next.size), size)
      } else if (type === 'ftyp') {
        if (this.ftyp || this.parsed) throw new Fmp4Error('out-of-order', 'a second ftyp in the stream')
        const next = this.header(size)
        if (!next) return this.wait(size + 8)
        if (next.type === 'moov') {
          if (this.queued < size + next.size) return this.wait(size + next.size)
          this.initSegment(this.take(size + next.size), size)
        } else {
          if (this.queued < size) return
          this.ftyp = this.take(size)
        }
      } else if (type === 'moov') {
        if (this.queued < size) return this.wait(size)
        const moov = this.take(size)
        this.initSegment(this.ftyp ? Buffer.concat([this.ftyp, moov]) : moov, this.ftyp?.length ?? 0)
        this.ftyp = undefined
      } else if (type === 'mdat') {
        throw new Fmp4Error('out-of-order', 'mdat without a moof before it')
      } else if (SKIPPED.has(type)) {
        this.skipLeft = size
      } else {
        throw new Fmp4Error('garbage', `unknown top-level box "${printable(type)}"`)
      }
    }
  }

  /** Looks again once `n` bytes are queued (a 16-byte header is then re-checked on each new chunk). */
  private wait(n: number): void {
    this.waitFor = n
  }

  private initSegment(data: Buffer, moovAt: number): void {
    if (this.parsed) throw new Fmp4Error('out-of-order', 'a second init segment in the stream')
    this.parsed = parseMoov(data, { type: 'moov', start: moovAt, payload: moovAt + 8, end: data.length })
    this.on.init({ ...this.parsed.track, data })
  }

  private fragment(data: Buffer, moofSize: number): void {
    if (!this.parsed) throw new Fmp4Error('out-of-order', 'a fragment before the init segment')
    const { track, defaults } = this.parsed
    const info = parseMoof(
      data,
      { type: 'moof', start: 0, payload: 8, end: moofSize },
      track.trackId,
      defaults,
    )
    this.fragments++
    this.on.fragment({ ...info, data, byteLength: data.length })
  }

  /** The header of the box `at` bytes into the queue, with its size checked; undefined until it is all in. */
  private header(at: number): { type: string; size: number } | undefined {
    if (this.queued < at + 8) return undefined
    const bytes = this.peek(at, Math.min(16, this.queued - at))
    const h = readBoxHeader(bytes, 0, bytes.length)
    if (!h) return undefined
    if (h.size === undefined) {
      throw new Fmp4Error(
        'garbage',
        `box "${printable(h.type)}" of size 0 (to the end of the file) in a stream`,
      )
    }
    if (h.size > this.maxBoxBytes) {
      throw new Fmp4Error(
        'too-large',
        `box "${printable(h.type)}" of ${h.size} bytes is over the ${this.maxBoxBytes}-byte limit`,
      )
    }
    return { type: h.type, size: h.size }
  }

  /** A copy of `n` queued bytes starting `at` bytes in (headers only: n <= 16). */
  private peek(at: number, n: number): Buffer {
    const out = Buffer.allocUnsafe(n)
    let filled = 0
    let skip = at
    for (const c of this.chunks) {
      if (skip >= c.length) {
        skip -= c.length
        continue
      }
      filled += c.copy(out, filled, skip, Math.min(c.length, skip + n - filled))
      skip = 0
      if (filled === n) break
    }
    return out
  }

  /** The first `n` queued bytes, removed from the queue: a view when they sit in one chunk. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!
    if (first.length >= n) {
      const out = first.subarray(0, n)
      this.drop(n)
      return out
    }
    const out = Buffer.allocUnsafe(n)
    let filled = 0
    let i = 0
    for (; filled < n; i++) {
      const c = this.chunks[i]!
      const k = Math.min(c.length, n - filled)
      c.copy(out, filled, 0, k)
      filled += k
      if (k < c.length) {
        this.chunks[i] = c.subarray(k)
        break
      }
    }
    this.chunks.splice(0, i)
    this.queued -= n
    return out
  }

  private drop(n: number): void {
    this.queued -= n
    while (n > 0) {
      const c = this.chunks[0]!
      if (c.length <= n) {
        n -= c.length
        this.chunks.shift()
      } else {
        this.chunks[0] = c.subarray(n)
        n = 0
      }
    }
  }
}
