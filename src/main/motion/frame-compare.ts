/**
 * The comparison of a camera's small gray frames (one byte per pixel, as ffmpeg's `format=gray` writes
 * them): how much of the watched area changed against a background model.
 *
 * - Each frame is smoothed with a 3x3 box blur (compression noise and single-pixel flicker fall under the
 *   threshold).
 * - The background is a running average of the smoothed frames; a pixel that differs from it is folded in
 *   more slowly, so a moving object does not become background while it moves, and something that stops
 *   (a parked car) fades into the background within some seconds.
 * - A global brightness shift (the camera's exposure, a cloud) moves every pixel the same way: the mean
 *   difference over the picture is taken off before comparing.
 * - A pixel has changed when its difference exceeds the threshold the sensitivity gives (1: 50 grey levels,
 *   100: 5); the area is changed watched pixels / watched pixels.
 *
 * About 10 µs of work per thousand pixels: a 128x72 frame costs well under a millisecond.
 */
import type { WatchMask } from './zone-mask'

/** Grey levels a pixel must change by at a sensitivity of 1..100. */
export function thresholdFor(sensitivity: number): number {
  const s = Math.min(100, Math.max(1, sensitivity))
  return 5 + ((100 - s) * 45) / 99
}

export interface CompareOptions {
  sensitivity: number
  /** Weight of a new frame in the background where nothing changed (default 0.1). */
  learnRate?: number
  /** ... and where something changed (default 0.02). */
  movingLearnRate?: number
  /** Frames compared before areas are reported (the background settles; default 2). */
  warmupFrames?: number
}

export class FrameComparer {
  private background: Float32Array | undefined
  private readonly blurred: Float32Array
  private readonly rowSums: Float32Array
  private seen = 0
  private threshold: number
  /** The changed share of each zone in the last compared frame (0..1; empty without zones). */
  zoneAreas: number[] = []

  constructor(
    private mask: WatchMask,
    private options: CompareOptions,
  ) {
    const n = mask.width * mask.height
    this.blurred = new Float32Array(n)
    this.rowSums = new Float32Array(n)
    this.threshold = thresholdFor(options.sensitivity)
  }

  get width(): number {
    return this.mask.width
  }

  get height(): number {
    return this.mask.height
  }

  /** New zones or sensitivity: the background is kept (same frame size). */
  reconfigure(mask: WatchMask, options: CompareOptions): void {
    if (mask.width !== this.mask.width || mask.height !== this.mask.height) {
      throw new Error('the frame size of a comparer does not change')
    }
    this.mask = mask
    this.options = options
    this.threshold = thresholdFor(options.sensitivity)
  }

  /** Forgets the background (a new stream). */
  reset(): void {
    this.background = undefined
    this.seen = 0
  }

  /** Compares one frame (width*height bytes); answers the changed share of the watched area (0..1). */
  compare(frame: Uint8Array): number {
    const { width, height, weights, watched, zoneBits, zoneWatched } = this.mask
    const n = width * height
    if (frame.length < n) throw new Error(`a frame of ${frame.length} bytes, ${n} expected`)
    this.blur(frame, width, height)
    const cur = this.blurred
    const bg = this.background
    const zoneChanged = zoneWatched.map(() => 0)
    this.zoneAreas = zoneChanged
    if (!bg) {
      this.background = Float32Array.from(cur)
      this.seen = 1
      return 0
    }
    let shift = 0
    for (let i = 0; i < n; i++) shift += cur[i]! - bg[i]!
    shift /= n
    const still = this.options.learnRate ?? 0.1
    const moving = this.options.movingLearnRate ?? 0.02
    const t = this.threshold
    let changed = 0
    for (let i = 0; i < n; i++) {
      const d = cur[i]! - bg[i]!
      const hit = Math.abs(d - shift) > t
      if (hit && weights[i] === 1) {
        changed++
        const bits = zoneBits[i]!
        if (bits !== 0) for (let z = 0; z < zoneChanged.length; z++) if (bits & (1 << z)) zoneChanged[z]!++
      }
      bg[i] = bg[i]! + (hit ? moving : still) * d
    }
    this.seen++
    if (this.seen <= (this.options.warmupFrames ?? 2) || watched === 0) {
      zoneChanged.fill(0)
      return 0
    }
    for (let z = 0; z < zoneChanged.length; z++) {
      zoneChanged[z] = zoneWatched[z]! > 0 ? zoneChanged[z]! / zoneWatched[z]! : 0
    }
    return changed / watched
  }

  /** 3x3 box blur into `blurred` (edges use the pixels that exist). */
  private blur(src: Uint8Array, w: number, h: number): void {
    const rows = this.rowSums
    for (let y = 0; y < h; y++) {
      const o = y * w
      for (let x = 0; x < w; x++) {
        const l = x > 0 ? src[o + x - 1]! : src[o + x]!
        const r = x < w - 1 ? src[o + x + 1]! : src[o + x]!
        rows[o + x] = l + src[o + x]! + r
      }
    }
    const out = this.blurred
    for (let y = 0; y < h; y++) {
      const up = (y > 0 ? y - 1 : y) * w
      const o = y * w
      const down = (y < h - 1 ? y + 1 : y) * w
      for (let x = 0; x < w; x++) out[o + x] = (rows[up + x]! + rows[o + x]! + rows[down + x]!) / 9
    }
  }
}
