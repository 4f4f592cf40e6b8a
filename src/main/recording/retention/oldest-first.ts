/**
 * Candidates for deletion, oldest first, read from the index in bounded chunks on the read pool: one
 * stream per camera (its unprotected segments that end by a cutoff, through the (camera_id, start_ms)
 * index), and a merge of several streams into one oldest-first order across cameras. A camera whose
 * minimum days hold the rest costs one short query, never a walk over its kept footage.
 */
import type { CandidateRow } from './retention-reads'

export type ChunkReader = (q: {
  cameraId: number
  afterStart: number
  afterId: number
  cutoff: number
  limit: number
}) => Promise<CandidateRow[]>

export interface CandidateSource {
  /**
   * Takes the oldest candidates, oldest first: up to `count` of them, stopping once they add up to
   * `bytes`. Fewer (or none) when the source runs out. Reads the index only when a buffer is empty.
   */
  take(count: number, bytes: number): Promise<CandidateRow[]>
}

export const CHUNK = 500

const older = (a: CandidateRow, b: CandidateRow) => a.start < b.start || (a.start === b.start && a.id < b.id)

/** One camera's unprotected segments that end by `cutoff`, oldest first. */
export class CameraCandidates implements CandidateSource {
  private buffer: CandidateRow[] = []
  private at = 0
  private done = false
  private afterStart = -1
  private afterId = 0

  constructor(
    private readonly read: ChunkReader,
    readonly cameraId: number,
    private readonly cutoff: number,
  ) {}

  /** The next candidate if it is buffered; undefined when exhausted; 'read' when the buffer must be filled. */
  head(): CandidateRow | undefined | 'read' {
    if (this.at < this.buffer.length) return this.buffer[this.at]
    return this.done ? undefined : 'read'
  }

  shift(): void {
    this.at++
  }

  async fill(): Promise<void> {
    if (this.at < this.buffer.length || this.done) return
    const rows = await this.read({
      cameraId: this.cameraId,
      afterStart: this.afterStart,
      afterId: this.afterId,
      cutoff: this.cutoff,
      limit: CHUNK,
    })
    this.buffer = rows
    this.at = 0
    if (rows.length < CHUNK) this.done = true
    const last = rows.at(-1)
    if (last) {
      this.afterStart = last.start
      this.afterId = last.id
    }
  }

  take(count: number, bytes: number): Promise<CandidateRow[]> {
    return new OldestAcross([this]).take(count, bytes)
  }
}

/** The oldest candidates across several cameras' streams (a merge by start time). */
export class OldestAcross implements CandidateSource {
  constructor(private readonly streams: CameraCandidates[]) {}

  async take(count: number, bytes: number): Promise<CandidateRow[]> {
    const out: CandidateRow[] = []
    let sum = 0
    while (out.length < count && sum < bytes) {
      // Picks synchronously while every stream has a buffered head; reads only the streams that ran dry.
      const dry = this.streams.filter((s) => s.head() === 'read')
      if (dry.length > 0) await Promise.all(dry.map((s) => s.fill()))
      let best: CameraCandidates | undefined
      let bestRow: CandidateRow | undefined
      for (const s of this.streams) {
        const h = s.head()
        if (h && h !== 'read' && (!bestRow || older(h, bestRow))) {
          best = s
          bestRow = h
        }
      }
      if (!best || !bestRow) break
      best.shift()
      out.push(bestRow)
      sum += bestRow.bytes
    }
    return out
  }
}
