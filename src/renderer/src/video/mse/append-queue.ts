/**
 * What waits to be appended while the SourceBuffer is busy, bounded. Past the bound the queue skips ahead:
 * it keeps the newest keyframe and what follows it, or, with no keyframe queued, drops every fragment and
 * refuses the next ones until a keyframe comes. A P-frame whose reference was dropped cannot be decoded, so
 * frames are only ever dropped up to a keyframe. Init segments are never dropped (the newest is kept).
 * Pure: no DOM.
 */

export interface Segment {
  kind: 'init' | 'fragment'
  bytes: Uint8Array
  /** A fragment that starts with a sync sample (false for init segments). */
  keyframe: boolean
  /** Frames in a fragment (0 for init segments). */
  samples: number
  /** Decode time and duration in seconds, when the init segment gave a timescale. */
  startS: number | null
  durationS: number
}

export interface AppendQueueOptions {
  /** Most segments waiting (about 2 s of video at 25 fps by default). */
  maxItems?: number
  maxBytes?: number
}

export interface DropCounts {
  fragments: number
  frames: number
  bytes: number
}

export class AppendQueue {
  private items: Segment[] = []
  private bytes = 0
  private needKeyframe = true
  private readonly maxItems: number
  private readonly maxBytes: number
  readonly dropped: DropCounts = { fragments: 0, frames: 0, bytes: 0 }

  constructor(o: AppendQueueOptions = {}) {
    this.maxItems = o.maxItems ?? 50
    this.maxBytes = o.maxBytes ?? 8 * 1024 * 1024
  }

  get length(): number {
    return this.items.length
  }

  get byteLength(): number {
    return this.bytes
  }

  /** Fragments are refused until a keyframe arrives (at the start, after an init or after a skip). */
  get waitingForKeyframe(): boolean {
    return this.needKeyframe
  }

  /** Queues a segment; false when it was dropped (a fragment that cannot be decoded without a keyframe). */
  push(s: Segment): boolean {
    if (s.kind === 'init') this.needKeyframe = true
    else if (s.keyframe) this.needKeyframe = false
    else if (this.needKeyframe) {
      this.count(s)
      return false
    }
    this.items.push(s)
    this.bytes += s.bytes.byteLength
    if (this.items.length > this.maxItems || this.bytes > this.maxBytes) this.skipToKeyframe()
    return this.items.includes(s)
  }

  /** The next segment to append. */
  shift(): Segment | undefined {
    const s = this.items.shift()
    if (s) this.bytes -= s.bytes.byteLength
    return s
  }

  /** Puts a segment that could not be appended (the buffer was full) back at the front. */
  unshift(s: Segment): void {
    this.items.unshift(s)
    this.bytes += s.bytes.byteLength
  }

  /**
   * Drops what is queued up to the newest keyframe, or everything (then waits for the next keyframe) when
   * none is queued past the front or the newest GOP alone is over the bound.
   */
  skipToKeyframe(): void {
    let key = -1
    for (let i = this.items.length - 1; i > 0 && key < 0; i--) if (this.items[i]!.keyframe) key = i
    const tail = key > 0 ? this.items.slice(key) : []
    const tailBytes = tail.reduce((n, s) => n + s.bytes.byteLength, 0)
    const keep = tail.length > 0 && tail.length <= this.maxItems && tailBytes <= this.maxBytes
    const cut = keep ? key : this.items.length
    let init: Segment | undefined
    for (const s of this.items.slice(0, cut)) {
      if (s.kind === 'init') init = s
      else this.count(s)
    }
    this.items = [...(init ? [init] : []), ...(keep ? tail : [])]
    this.bytes = this.items.reduce((n, s) => n + s.bytes.byteLength, 0)
    if (!keep) this.needKeyframe = true
  }

  clear(): void {
    this.items = []
    this.bytes = 0
    this.needKeyframe = true
  }

  private count(s: Segment): void {
    this.dropped.fragments++
    this.dropped.frames += s.samples
    this.dropped.bytes += s.bytes.byteLength
  }
}
