/**
 * Every camera's recorded bytes and segments, in memory: loaded at start with one aggregate query on the
 * read pool, then kept current from the domain event stream (`recording.segment` adds, `recording.deleted`
 * subtracts). The index stays the truth: a deletion announced without a per-camera breakdown makes those
 * cameras re-read their totals from it. Oldest and newest times are point reads on the (camera_id,
 * start_ms) index when asked.
 *
 * A re-read races the recorder: segments indexed while it runs are either in its snapshot (their id is at
 * most the snapshot's highest) or not (higher: new rows always get higher ids), so those seen meanwhile are
 * added on top when their id is higher.
 */
import type { DomainEventOf } from '../../../shared/events/domain-events'
import type { CameraTotalsRow } from './retention-reads'

export interface CameraTotals {
  bytes: number
  segments: number
}

interface Pending {
  /** The cameras being re-read ('all' at start-up), and the segments indexed meanwhile. */
  cameras: Set<number> | 'all'
  seen: DomainEventOf<'recording.segment'>[]
}

export class StorageTotals {
  private readonly byCamera = new Map<number, CameraTotals>()
  private total = 0
  private readonly loads = new Set<Pending>()
  private loadedOnce = false

  /** Whether the start-up load has completed (until then, totals are not known). */
  get loaded(): boolean {
    return this.loadedOnce
  }

  get totalBytes(): number {
    return this.total
  }

  get(cameraId: number): CameraTotals {
    return this.byCamera.get(cameraId) ?? { bytes: 0, segments: 0 }
  }

  cameraIds(): number[] {
    return [...this.byCamera.keys()]
  }

  /** A segment was indexed. */
  addSegment(e: DomainEventOf<'recording.segment'>): void {
    for (const load of this.loads)
      if (load.cameras === 'all' || load.cameras.has(e.cameraId)) load.seen.push(e)
    this.add(e.cameraId, e.bytes, 1)
  }

  /** Segments were deleted: exact per camera, or (no breakdown) those cameras are marked for a re-read. */
  removeDeleted(e: DomainEventOf<'recording.deleted'>): number[] {
    if (!e.byCamera) return [...e.cameraIds]
    for (const c of e.byCamera) this.add(c.cameraId, -c.bytes, -c.segments)
    return []
  }

  /**
   * Replaces the totals of `cameras` ('all': every camera) with what `read` answers from the index, plus
   * the segments indexed while it ran that its snapshot did not hold.
   */
  async reload(cameras: readonly number[] | 'all', read: () => Promise<CameraTotalsRow[]>): Promise<void> {
    const load: Pending = { cameras: cameras === 'all' ? 'all' : new Set(cameras), seen: [] }
    this.loads.add(load)
    let rows: CameraTotalsRow[]
    try {
      rows = await read()
    } finally {
      this.loads.delete(load)
    }
    const ids = cameras === 'all' ? [...this.byCamera.keys()] : cameras
    for (const id of ids) this.set(id, { bytes: 0, segments: 0 })
    const maxIds = new Map<number, number>()
    let highest = 0
    for (const r of rows) {
      this.set(r.cameraId, { bytes: r.bytes, segments: r.segments })
      maxIds.set(r.cameraId, r.maxId ?? 0)
      highest = Math.max(highest, r.maxId ?? 0)
    }
    for (const e of load.seen) {
      // A camera absent from the snapshot had no row then: every segment seen is new, unless its id is at
      // most the highest id of the snapshot (committed before it, on a camera the snapshot missed: none).
      const watermark = maxIds.get(e.cameraId) ?? (cameras === 'all' ? highest : 0)
      if (e.segmentId > watermark) this.add(e.cameraId, e.bytes, 1)
    }
    if (cameras === 'all') this.loadedOnce = true
  }

  private add(cameraId: number, bytes: number, segments: number): void {
    const t = this.get(cameraId)
    this.set(cameraId, { bytes: t.bytes + bytes, segments: t.segments + segments })
  }

  private set(cameraId: number, t: CameraTotals): void {
    const before = this.byCamera.get(cameraId)?.bytes ?? 0
    const next = { bytes: Math.max(0, t.bytes), segments: Math.max(0, t.segments) }
    this.total += next.bytes - before
    if (next.segments === 0) this.byCamera.delete(cameraId)
    else this.byCamera.set(cameraId, next)
  }
}
