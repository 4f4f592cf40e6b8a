/**
 * Retention over an index of 1 million segments (issue 11): a temp database is filled by bulk insert
 * (16 cameras, 10 s segments, about 7 days, 1% protected), then retention passes run against it with the
 * station's own writer thread and read pool, as in the station. Each round moves the clock on by one
 * minute, so a pass deletes what a minute of recording pushes past the limits (about 96 segments: the
 * steady state), once by maxDays and once by the quota above minDays; then a catch-up pass deletes 10,000
 * segments (the quota lowered). Measured: each pass's time and the longest event-loop delay during it
 * (a 1 ms timer), medians over the rounds, against the same timer's longest delay while the main thread
 * idles (the baseline: what the machine's load adds by itself). The segment files do not exist (unlink answers ENOENT): the
 * figure is the index work and the syscalls, not the disk's.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databasePath, openWriter } from '../../src/main/database/open'
import { WorkerReadPool } from '../../src/main/database/read-pool'
import { READ_QUERIES } from '../../src/main/database/read-queries'
import { WorkerWriter } from '../../src/main/database/writer'
import type { CameraRetention } from '../../src/main/recording/retention/camera-retention'
import {
  runRetentionPass,
  type PassDeps,
  type PassResult,
} from '../../src/main/recording/retention/retention-pass'
import { SegmentFiles } from '../../src/main/recording/retention/segment-files'
import { StorageTotals } from '../../src/main/recording/retention/storage-totals'
import { eventLoopLag, median, sleep, type BenchContext } from '../setup'
import { num, verdict } from '../table'

const SEGMENTS = 1_000_000
const CAMERAS = 16
const SEGMENT_MS = 10_000
const BYTES = 2_500_000
const DAY = 86_400_000
const quietLog = { error() {}, warn() {}, info() {}, debug() {} }

function fill(dir: string, now: number): { span: number } {
  const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
  db.pragma('synchronous = OFF')
  const perCamera = SEGMENTS / CAMERAS
  const span = perCamera * SEGMENT_MS
  const insert = db.prepare(
    `INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, keyframes, frames, protected_until, created_at)
     VALUES (?, ?, ?, ?, ?, 5, 250, ?, ?)`,
  )
  const camera = db.prepare(
    "INSERT INTO cameras (name, kind, enabled, created_at, updated_at) VALUES (?, 'push', 1, ?, ?)",
  )
  db.transaction(() => {
    for (let c = 1; c <= CAMERAS; c++) camera.run(`Camera ${c}`, now, now)
    for (let i = 0; i < perCamera; i++) {
      const start = now - span + i * SEGMENT_MS
      const day = new Date(start).toISOString().slice(0, 10)
      for (let c = 1; c <= CAMERAS; c++) {
        const at = start + c * 17
        const protectedUntil = (i * CAMERAS + c) % 100 === 0 ? now + 30 * DAY : null
        insert.run(c, at, at + SEGMENT_MS, BYTES, `${c}/${day}/${at}.mp4`, protectedUntil, at)
      }
    }
  })()
  db.close()
  return { span }
}

export async function retentionSection(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'station-bench-retention-'))
  const started = Date.now()
  try {
    const t0 = performance.now()
    const { span } = fill(dir, started)
    ctx.log(
      `  filled ${num(SEGMENTS)} segments (${CAMERAS} cameras, ${(span / DAY).toFixed(1)} days) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
    const dbPath = databasePath(dir)
    const writer = await WorkerWriter.start({ dbPath, synchronous: 'FULL' })
    const reads = new WorkerReadPool({
      dbPath,
      size: 2,
      queries: READ_QUERIES,
      timeoutMs: 15_000,
      log: quietLog,
    })
    try {
      const totals = new StorageTotals()
      const lagLoad = eventLoopLag(1)
      const t1 = performance.now()
      await totals.reload('all', () => reads.run('retention.totals', {}))
      const loadMs = performance.now() - t1
      const loadLag = lagLoad.stop().quantile(1)
      ctx.log(
        `  start-up totals: ${loadMs.toFixed(0)} ms (read pool), event-loop delay max ${loadLag.toFixed(1)} ms`,
      )

      let now = started
      const probe = new Database(dbPath, { readonly: true })
      const oldest = probe.prepare<[], { start: number }>(
        `SELECT start_ms AS start FROM recording_segments INDEXED BY recording_segments_start
          WHERE protected_until IS NULL ORDER BY start_ms LIMIT 1`,
      )
      const oldestUnprotected = () => oldest.get()?.start ?? now
      let quota: number | null = null
      const settings = new Map<number, CameraRetention>()
      const setAll = (maxDays: number | null, minDays: number | null) => {
        for (let c = 1; c <= CAMERAS; c++)
          settings.set(c, { cameraId: c, name: `Camera ${c}`, minDays, maxDays, maxBytes: null })
      }
      const deps: PassDeps = {
        reads,
        writer,
        totals,
        cameras: () => settings,
        volume: async () => ({ totalBytes: 100 * 2 ** 40, freeBytes: 50 * 2 ** 40 }),
        files: new SegmentFiles(join(dir, 'recordings')),
        limits: () => ({ quotaBytes: quota, reservePercent: 5 }),
        // What the service's subscriber does with recording.deleted.
        committed: (deleted) => {
          const byCamera = new Map<number, { cameraId: number; segments: number; bytes: number }>()
          for (const d of deleted) {
            const c = byCamera.get(d.cameraId) ?? { cameraId: d.cameraId, segments: 0, bytes: 0 }
            c.segments++
            c.bytes += d.bytes
            byCamera.set(d.cameraId, c)
          }
          totals.removeDeleted({
            type: 'recording.deleted',
            cameraIds: [],
            segments: 0,
            bytes: 0,
            byCamera: [...byCamera.values()],
          })
        },
        now: () => now,
      }
      const measure = async (): Promise<{ r: PassResult; lag: number }> => {
        const lag = eventLoopLag(1)
        const r = await runRetentionPass(deps)
        return { r, lag: lag.stop().quantile(1) }
      }
      // The first pass catches up to a 7-day cap (whatever the fill left past it); not measured.
      const days = Math.floor(span / DAY)
      setAll(days, null)
      now += 60_000
      const first = await measure()
      ctx.log(
        `  catch-up to ${days} days: ${num(first.r.deletedSegments)} segments in ${first.r.ms.toFixed(0)} ms`,
      )

      const steadyDays = { ms: [] as number[], lag: [] as number[], n: [] as number[] }
      const steadyQuota = { ms: [] as number[], lag: [] as number[], n: [] as number[] }
      const catchUp = { ms: [] as number[], lag: [] as number[], n: [] as number[] }
      const push = (into: typeof steadyDays, m: { r: PassResult; lag: number }) => {
        into.ms.push(m.r.ms)
        into.lag.push(m.lag)
        into.n.push(m.r.deletedSegments)
      }
      for (let round = 0; round < ctx.rounds; round++) {
        // The clock where a minute of footage has crossed the maxDays cutoff (the oldest unprotected
        // segment, read outside the measure, plus maxDays, its length and a minute).
        setAll(days, null)
        quota = null
        now = oldestUnprotected() + days * DAY + SEGMENT_MS + 60_000
        push(steadyDays, await measure())
        // The quota (minDays 1 on every camera): a minute of recording over it.
        setAll(null, 1)
        quota = totals.totalBytes - CAMERAS * 6 * BYTES
        push(steadyQuota, await measure())
        // Catch-up: the quota lowered by 10,000 segments.
        quota = totals.totalBytes - 10_000 * BYTES
        push(catchUp, await measure())

        ctx.log(
          `  round ${round + 1}/${ctx.rounds}: maxDays ${steadyDays.n.at(-1)} segs ${steadyDays.ms.at(-1)!.toFixed(0)} ms (max delay ${steadyDays.lag.at(-1)!.toFixed(1)} ms); ` +
            `quota ${steadyQuota.n.at(-1)} segs ${steadyQuota.ms.at(-1)!.toFixed(0)} ms (${steadyQuota.lag.at(-1)!.toFixed(1)} ms); ` +
            `catch-up ${num(catchUp.n.at(-1)!)} segs ${catchUp.ms.at(-1)!.toFixed(0)} ms (${catchUp.lag.at(-1)!.toFixed(1)} ms)`,
        )
      }
      // Baseline: the longest delay of the same timer while the main thread does nothing for a second
      // (what a loaded machine adds by itself: scheduling, GC).
      const idle: number[] = []
      for (let round = 0; round < ctx.rounds; round++) {
        const lag = eventLoopLag(1)
        await sleep(1000)
        idle.push(lag.stop().quantile(1))
      }
      const idleLag = median(idle)
      ctx.log(`  idle: event-loop delay max ${idleLag.toFixed(1)} ms over 1 s`)
      const row = (figure: string, m: typeof steadyDays, goalMs: number | null) => {
        const ms = median(m.ms)
        const lag = median(m.lag)
        ctx.rows.push({
          figure,
          station: `${ms.toFixed(0)} ms; max delay ${lag.toFixed(1)} ms (${num(median(m.n))} segments)`,
          baseline: `max delay ${idleLag.toFixed(1)} ms (idle)`,
          ratio: '',
          goal: goalMs === null ? '< 20 ms delay' : `< ${goalMs} ms; < 20 ms delay`,
          result: verdict((goalMs === null || ms < goalMs) && lag < 20),
        })
      }
      row('Retention pass over 1M segments: a minute past maxDays', steadyDays, 1000)
      row('Retention pass over 1M segments: a minute over the quota (minDays)', steadyQuota, 1000)
      row('Retention pass over 1M segments: 10,000 over the quota (catch-up)', catchUp, null)
      ctx.rows.push({
        figure: 'Retention start-up totals over 1M segments (one aggregate, read pool)',
        station: `${loadMs.toFixed(0)} ms; max delay ${loadLag.toFixed(1)} ms`,
        baseline: `max delay ${idleLag.toFixed(1)} ms (idle)`,
        ratio: '',
        goal: '< 20 ms delay',
        result: verdict(loadLag < 20),
      })
      probe.close()
    } finally {
      await reads.close()
      await writer.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
