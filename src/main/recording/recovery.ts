/**
 * Start-up (before any recorder runs): the index and the files agree again after a crash.
 *
 * - A file without an index row (the segment a crash interrupted, or an orphan): read through the fMP4
 *   splitter; with a valid init segment and at least one whole fragment it is truncated after the last
 *   whole fragment, fsynced and indexed with its real end (start from its name + the media duration of
 *   what it holds); anything else (garbage, an init segment alone) is removed.
 * - An unindexed file older than the camera's newest indexed segment is not a crash's leftover (the
 *   recorder indexes a camera's segments in order) but a deletion's: retention and admins commit the rows'
 *   deletion first and unlink the files after, so a crash between leaves such files. They are removed,
 *   never indexed again (deleted footage must not come back).
 * - An index row whose file is gone is removed.
 *
 * The disk is walked one camera day folder at a time against that day's rows (never the whole index in
 * memory); writes go through the writer in chunks.
 */
import { readFile, readdir, open, unlink, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Fmp4Splitter } from '../video/fmp4/splitter'
import type { Writer } from '../database/writer'
import type { RecordingReads, SegmentRow } from './repository'
import { absolutePath, isCameraFolder, isDayFolder, startOfFile } from './segment-path'

const DAY_MS = 86_400_000
const CHUNK = 500

export interface FileScan {
  /** Bytes of the init segment and the whole fragments. */
  validBytes: number
  frames: number
  keyframes: number
  /** Media duration of the whole fragments (ms). */
  durationMs: number
  codec: string
  width: number
  height: number
}

/** What a segment file holds that can be played; undefined when nothing (no init, no whole fragment). */
export async function scanSegment(path: string): Promise<FileScan | undefined> {
  const data = await readFile(path)
  let scan: FileScan | undefined
  let timescale = 90_000
  let first: number | undefined
  let endTicks = 0
  let broken = false
  const splitter = new Fmp4Splitter(
    {
      init: (init) => {
        timescale = init.timescale
        scan = {
          validBytes: init.data.length,
          frames: 0,
          keyframes: 0,
          durationMs: 0,
          codec: init.codecString,
          width: init.width,
          height: init.height,
        }
      },
      fragment: (f) => {
        if (!scan || broken) return
        const dts = f.baseMediaDecodeTime ?? endTicks
        first ??= dts
        endTicks = dts + f.duration
        scan.validBytes += f.byteLength
        scan.frames += f.sampleCount
        if (f.keyframe) scan.keyframes++
      },
      error: () => {
        broken = true
      },
    },
    { maxBoxBytes: 64 * 1024 * 1024 },
  )
  splitter.push(data)
  if (!scan || scan.frames === 0) return undefined
  scan.durationMs = ((endTicks - (first ?? 0)) * 1000) / timescale
  return scan
}

/**
 * Repairs one unindexed segment file: truncated after its last whole fragment and fsynced, answered as
 * the row to index; or removed (undefined) when it holds nothing playable.
 */
export async function repairSegment(
  root: string,
  rel: string,
  cameraId: number,
): Promise<SegmentRow | undefined> {
  const path = absolutePath(root, rel)
  const name = rel.slice(rel.lastIndexOf('/') + 1)
  const start = startOfFile(name)
  const scan = start === undefined ? undefined : await scanSegment(path).catch(() => undefined)
  if (start === undefined || !scan) {
    await unlink(path).catch(() => undefined)
    return undefined
  }
  const h = await open(path, 'r+')
  try {
    if ((await h.stat()).size > scan.validBytes) await h.truncate(scan.validBytes)
    await h.datasync()
  } finally {
    await h.close()
  }
  return {
    cameraId,
    startMs: start,
    endMs: start + Math.round(scan.durationMs),
    bytes: scan.validBytes,
    path: rel,
    keyframes: scan.keyframes,
    frames: scan.frames,
    codec: scan.codec,
    width: scan.width || null,
    height: scan.height || null,
    motion: false,
  }
}

export interface RecoveryReport {
  repaired: number
  removedFiles: number
  removedRows: number
}

async function dirs(path: string, keep: (name: string) => boolean): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory() && keep(e.name)).map((e) => e.name)
  } catch {
    return []
  }
}

export async function recoverRecordings(deps: {
  root: string
  reads: RecordingReads
  writer: Pick<Writer, 'run'>
}): Promise<RecoveryReport> {
  const { root, reads, writer } = deps
  const report: RecoveryReport = { repaired: 0, removedFiles: 0, removedRows: 0 }
  let remove: number[] = []
  let insert: SegmentRow[] = []
  const flush = async (last = false) => {
    if (!last && remove.length + insert.length < CHUNK) return
    const r = await writer.run('recordings.reconcile', { remove, insert, endOpenMarks: last })
    report.removedRows += r.removed
    remove = []
    insert = []
  }
  const seen = new Set<string>()
  for (const cam of await dirs(root, isCameraFolder)) {
    const cameraId = Number(cam)
    const newest = reads.newestStart(cameraId)
    for (const day of await dirs(join(root, cam), isDayFolder)) {
      const dayStart = Date.parse(`${day}T00:00:00Z`)
      if (!Number.isFinite(dayStart)) continue
      seen.add(`${cameraId}/${dayStart / DAY_MS}`)
      const rows = new Map(reads.inRange(cameraId, dayStart, dayStart + DAY_MS).map((r) => [r.path, r.id]))
      const files = (await readdir(join(root, cam, day))).filter((n) => startOfFile(n) !== undefined)
      for (const name of files) {
        const rel = `${cam}/${day}/${name}`
        if (rows.delete(rel)) continue
        const start = startOfFile(name)!
        if (newest !== null && start < newest) {
          await unlink(join(root, rel)).catch(() => undefined)
          report.removedFiles++
          continue
        }
        const row = await repairSegment(root, rel, cameraId)
        if (row) {
          insert.push(row)
          report.repaired++
        } else report.removedFiles++
        await flush()
      }
      // Rows left: their files are gone.
      for (const id of rows.values()) remove.push(id)
      await flush()
    }
  }
  // Whole days (or cameras) whose folder is gone.
  for (const { cameraId, day } of reads.days()) {
    if (seen.has(`${cameraId}/${day}`)) continue
    for (const r of reads.inRange(cameraId, day * DAY_MS, (day + 1) * DAY_MS)) {
      const exists = await stat(absolutePath(root, r.path)).then(
        () => true,
        () => false,
      )
      if (!exists) remove.push(r.id)
      await flush()
    }
  }
  await flush(true)
  return report
}
