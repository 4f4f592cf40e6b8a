/**
 * Events mode: what the recorder keeps while it waits for an event, so a recording can start a few
 * seconds before it. Whole GOPs (a segment must start at a key frame): the newest GOP that starts at or
 * before `preRollMs` ago and everything after it, bounded in bytes (past the bound the oldest GOPs go,
 * the current one always stays).
 */
import type { VideoUnit } from '../video/pipeline/units'

export interface Placed {
  u: VideoUnit
  /** Wall time of its decode time, and of its end. */
  at: number
  end: number
}

interface Gop {
  units: Placed[]
  bytes: number
  start: number
}

export class PreRoll {
  private gops: Gop[] = []
  private size = 0

  constructor(
    private preRollMs: number,
    private readonly maxBytes: number,
  ) {}

  setPreRoll(ms: number): void {
    this.preRollMs = ms
  }

  add(p: Placed): void {
    if (p.u.keyframe) this.gops.push({ units: [], bytes: 0, start: p.at })
    const gop = this.gops.at(-1)
    if (!gop) return
    gop.units.push(p)
    gop.bytes += p.u.data.length
    this.size += p.u.data.length
    while (
      this.gops.length > 1 &&
      (this.gops[1]!.start <= p.at - this.preRollMs || this.size > this.maxBytes)
    )
      this.size -= this.gops.shift()!.bytes
  }

  /** Everything kept, oldest first; the ring is empty afterwards. */
  take(): Placed[] {
    const all = this.gops.flatMap((g) => g.units)
    this.clear()
    return all
  }

  clear(): void {
    this.gops = []
    this.size = 0
  }

  get bytes(): number {
    return this.size
  }
}
