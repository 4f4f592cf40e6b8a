/**
 * The current group of pictures of a video stream: the units from the latest key frame on, so that a
 * consumer joining now starts at once (at that key frame) instead of waiting for the next one. Bounded:
 * a GOP that outgrows the bounds is dropped, and joiners wait for the next key frame.
 */
import type { VideoUnit } from './units'

export class GopCache {
  private list: VideoUnit[] = []
  private size = 0

  constructor(
    private readonly maxBytes: number,
    private readonly maxUnits: number,
  ) {}

  add(u: VideoUnit): void {
    if (u.keyframe) {
      this.list = [u]
      this.size = u.data.length
      return
    }
    // No key frame yet, or this GOP already outgrew the bounds.
    if (this.list.length === 0) return
    if (this.list.length + 1 > this.maxUnits || this.size + u.data.length > this.maxBytes) {
      this.clear()
      return
    }
    this.list.push(u)
    this.size += u.data.length
  }

  clear(): void {
    this.list = []
    this.size = 0
  }

  /** From the latest key frame, in order (empty without one). */
  get units(): readonly VideoUnit[] {
    return this.list
  }

  get bytes(): number {
    return this.size
  }
}
