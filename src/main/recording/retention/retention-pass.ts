/**
 * One retention pass over the recording index, in this order:
 *
 * 1. expired holds are removed and the protection they gave is recomputed (bounded steps);
 * 2. per camera, footage older than `maxDays` goes;
 * 3. per camera, the oldest footage goes while the camera holds more than `maxBytes`;
 * 4. globally, the oldest footage goes while all recordings hold more than the quota, never footage
 *    within a camera's `minDays`;
 * 5. globally, the oldest footage goes while the volume's free space is below the reserve, `minDays`
 *    included: a full disk would stop every recording.
 *
 * Protected footage (protected_until in the future, or a live hold) is never deleted, by any step. Each
 * step takes the oldest candidates in batches from the read pool, deletes their rows through the writer
 * (which checks protection again inside its transaction), tells `committed` what really went (the
 * plugin publishes `recording.deleted`, which updates the in-memory totals), then unlinks the files.
 * What a step could not reach is reported (the shortfall), not forced.
 */
import type { ReadPool } from '../../database/read-pool'
import type { Writer } from '../../database/writer'
import type { CameraRetentionSource } from './camera-retention'
import { CameraCandidates, OldestAcross, type CandidateSource, type ChunkReader } from './oldest-first'
import type { DeletedSegment } from './retention-write-ops'
import type { SegmentFiles } from './segment-files'
import type { StorageTotals } from './storage-totals'
import type { VolumeCheck, VolumeSpace } from './volume'

export const DAY_MS = 86_400_000
/** Segments deleted per writer transaction. */
export const DELETE_BATCH = 500
/** Segments whose protection is recomputed per writer transaction. */
const RECOMPUTE_BATCH = 5000
/** A cutoff that keeps nothing back. */
const ANY_TIME = 8_640_000_000_000_000

export type DeleteReason = 'maxDays' | 'maxBytes' | 'quota' | 'reserve' | 'admin'

export interface RetentionLimits {
  /** All cameras' recordings together, bytes; null: no quota. */
  quotaBytes: number | null
  /** Share of the volume kept free, percent (0: none). */
  reservePercent: number
}

export interface PassDeps {
  reads: Pick<ReadPool, 'run'>
  writer: Pick<Writer, 'run'>
  totals: StorageTotals
  cameras: CameraRetentionSource
  volume: VolumeCheck
  files: SegmentFiles
  limits: () => RetentionLimits
  /** Rows a delete committed (before their files are unlinked): publish them. */
  committed: (deleted: DeletedSegment[], reason: DeleteReason) => void
  now: () => number
}

export interface ProtectedFigures {
  bytes: number
  byCamera: Map<number, { bytes: number; segments: number; until: number }>
}

export interface PassResult {
  at: number
  ms: number
  deletedSegments: number
  deletedBytes: number
  byReason: Record<Exclude<DeleteReason, 'admin'>, number>
  holdsExpired: number
  /** Read when the quota could not be met (storage figures read it themselves otherwise). */
  protection: ProtectedFigures | undefined
  volume: VolumeSpace | undefined
  /** Over the quota after the pass: what protected footage alone holds, and the rest (minimum days). */
  quotaShortfall: { overBytes: number; protectedBytes: number } | undefined
  /** Below the reserve after the pass, with only protected footage left to delete. */
  reserveShortfall: { needBytes: number } | undefined
  unlinkFailures: number
}

/** Reads what is protected now (through the partial index on protected_until). */
export async function readProtection(reads: PassDeps['reads'], now: number): Promise<ProtectedFigures> {
  const rows = await reads.run('retention.protected', { now })
  const byCamera = new Map(
    rows.map((r) => [r.cameraId, { bytes: r.bytes, segments: r.segments, until: r.until }]),
  )
  return { bytes: rows.reduce((s, r) => s + r.bytes, 0), byCamera }
}

/** Deletes segments by id (unless protected at commit time), then their files; answers what went. */
export async function deleteSegments(
  deps: Pick<PassDeps, 'writer' | 'files' | 'committed'>,
  ids: readonly number[],
  now: number,
  reason: DeleteReason,
): Promise<{ deleted: DeletedSegment[]; unlinkFailures: number }> {
  const { deleted } = await deps.writer.run('recordings.delete', { ids, now })
  if (deleted.length === 0) return { deleted, unlinkFailures: 0 }
  deps.committed(deleted, reason)
  const report = await deps.files.unlinkAll(
    deleted.map((d) => d.path),
    now,
  )
  return { deleted, unlinkFailures: report.failed.length }
}

export async function runRetentionPass(deps: PassDeps): Promise<PassResult> {
  const started = performance.now()
  const now = deps.now()
  const limits = deps.limits()
  const result: PassResult = {
    at: now,
    ms: 0,
    deletedSegments: 0,
    deletedBytes: 0,
    byReason: { maxDays: 0, maxBytes: 0, quota: 0, reserve: 0 },
    holdsExpired: 0,
    protection: undefined,
    volume: undefined,
    quotaShortfall: undefined,
    reserveShortfall: undefined,
    unlinkFailures: 0,
  }

  // 1. Expired holds.
  for (;;) {
    const r = await deps.writer.run('recordings.expireHolds', { now, limit: RECOMPUTE_BATCH })
    result.holdsExpired += r.holds
    if (!r.more) break
  }

  const read: ChunkReader = (q) => deps.reads.run('retention.candidates', { ...q, now })
  const settings = deps.cameras()
  const cameraIds = deps.totals.cameraIds()
  /** Deletes from `source` while `need(freed)` (bytes still to free) is positive; answers the bytes freed. */
  const drain = async (source: CandidateSource, need: (freed: number) => number, reason: DeleteReason) => {
    let freed = 0
    for (let want = need(0); want > 0; want = need(freed)) {
      const batch = await source.take(DELETE_BATCH, want)
      if (batch.length === 0) break
      const { deleted, unlinkFailures } = await deleteSegments(
        deps,
        batch.map((c) => c.id),
        now,
        reason,
      )
      const bytes = deleted.reduce((s, d) => s + d.bytes, 0)
      freed += bytes
      result.deletedSegments += deleted.length
      result.deletedBytes += bytes
      result.byReason[reason as keyof PassResult['byReason']] += deleted.length
      result.unlinkFailures += unlinkFailures
    }
    return freed
  }

  // 2. and 3. Each camera's own caps.
  for (const cameraId of cameraIds) {
    const s = settings.get(cameraId)
    if (s?.maxDays != null) {
      const cutoff = now - s.maxDays * DAY_MS
      await drain(new CameraCandidates(read, cameraId, cutoff), () => Infinity, 'maxDays')
    }
    if (s?.maxBytes != null) {
      const max = s.maxBytes
      await drain(
        new CameraCandidates(read, cameraId, ANY_TIME),
        () => deps.totals.get(cameraId).bytes - max,
        'maxBytes',
      )
    }
  }

  // 4. The quota, above every camera's minimum days.
  const quota = limits.quotaBytes
  if (quota !== null && deps.totals.totalBytes > quota) {
    const streams = deps.totals.cameraIds().map((id) => {
      const minDays = settings.get(id)?.minDays
      return new CameraCandidates(read, id, minDays ? now - minDays * DAY_MS : ANY_TIME)
    })
    await drain(new OldestAcross(streams), () => deps.totals.totalBytes - quota, 'quota')
    if (deps.totals.totalBytes > quota) {
      result.protection = await readProtection(deps.reads, now)
      result.quotaShortfall = {
        overBytes: deps.totals.totalBytes - quota,
        protectedBytes: result.protection.bytes,
      }
    }
  }

  // 5. The volume's reserve, minimum days included.
  if (limits.reservePercent > 0) {
    const volume = await deps.volume()
    result.volume = volume
    const reserve = Math.floor((volume.totalBytes * limits.reservePercent) / 100)
    if (volume.freeBytes < reserve) {
      const streams = deps.totals.cameraIds().map((id) => new CameraCandidates(read, id, ANY_TIME))
      const freed = await drain(
        new OldestAcross(streams),
        (done) => reserve - volume.freeBytes - done,
        'reserve',
      )
      if (volume.freeBytes + freed < reserve) {
        result.reserveShortfall = { needBytes: reserve - volume.freeBytes - freed }
      }
      result.volume = await deps.volume()
    }
  } else {
    result.volume = await deps.volume()
  }

  result.ms = performance.now() - started
  return result
}
