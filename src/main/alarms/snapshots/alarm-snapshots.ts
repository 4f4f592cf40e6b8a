/**
 * Alarm snapshots: when an alarm opens, one JPEG of each camera its rule names, saved under
 * `<data>/alarm-snapshots` with a row per camera (or the reason a camera gave none). Captures run after
 * the alarm is committed, never in the engine's path: at most `maxConcurrent` at once, a bounded queue
 * behind them (past it a camera is recorded as skipped). When an alarm's captures are done, `done` is told
 * (the alarm service publishes `alarm.changed` again). Failures are logged aggregated (one line per kind
 * of failure per minute, with the repeats). Alarms are never pruned, so the folder is bounded by size
 * instead: past `maxBytes` the oldest pictures are deleted (their rows say so).
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CameraJpeg } from '../../video/camera-jpeg'
import { RepeatedLineLog } from '../../video/ffmpeg/log-aggregator'
import type { SnapshotOutcome, SnapshotRepository } from './snapshot-repository'

export const ALARM_SNAPSHOTS_DIR = 'alarm-snapshots'
/** Default size cap of the folder: 512 MiB (some 5,000 pictures of 100 KiB). */
export const DEFAULT_SNAPSHOT_CAP_BYTES = 512 * 1024 * 1024

export interface AlarmSnapshotDeps {
  repo: SnapshotRepository
  /** The folder the pictures go in (created when the first is saved). */
  dir: string
  /** One JPEG of a camera, or why there is none (video/camera-jpeg.ts). */
  grab(cameraId: number): Promise<CameraJpeg>
  /** Every camera of the alarm has its row. */
  done(alarmId: number, outcomes: readonly SnapshotOutcome[]): void
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }
  /** Captures at once (default 2). */
  maxConcurrent?: number
  /** Captures waiting for a slot (default 32); past it a camera is skipped. */
  maxWaiting?: number
  /** Size cap of the folder (default 512 MiB). */
  maxBytes?: number
  now?: () => number
}

interface Task {
  alarmId: number
  cameraId: number
  settle(o: SnapshotOutcome): void
}

export class AlarmSnapshots {
  private readonly queue: Task[] = []
  private readonly running = new Set<Promise<void>>()
  private closed = false
  private madeDir = false
  private readonly failures: RepeatedLineLog

  constructor(private readonly deps: AlarmSnapshotDeps) {
    this.failures = new RepeatedLineLog({
      intervalMs: 60_000,
      emit: (line, repeats) => deps.log.warn({ repeats }, repeats ? `${line} (${repeats} more)` : line),
    })
  }

  private get now(): number {
    return this.deps.now?.() ?? Date.now()
  }

  /** Takes a picture of each camera for the alarm, in the background; never throws. */
  capture(alarmId: number, cameraIds: readonly number[]): void {
    if (cameraIds.length === 0 || this.closed) return
    const outcomes = cameraIds.map(
      (cameraId) =>
        new Promise<SnapshotOutcome>((settle) => {
          if (this.queue.length >= (this.deps.maxWaiting ?? 32)) {
            settle({ cameraId, at: this.now, error: 'too many pictures were being taken at once' })
          } else this.queue.push({ alarmId, cameraId, settle })
        }),
    )
    this.pump()
    void Promise.all(outcomes).then((all) => this.finish(alarmId, all))
  }

  /** Refuses new captures, drops waiting ones and waits for the running ones (the database is still open). */
  async close(): Promise<void> {
    this.closed = true
    this.queue.length = 0
    await Promise.all([...this.running])
    this.failures.flush(true)
  }

  private pump(): void {
    while (!this.closed && this.running.size < (this.deps.maxConcurrent ?? 2) && this.queue.length > 0) {
      const task = this.queue.shift()!
      const run = this.take(task).then(
        (o) => task.settle(o),
        (err: unknown) => task.settle({ cameraId: task.cameraId, at: this.now, error: messageOf(err) }),
      )
      const tracked = run.finally(() => {
        this.running.delete(tracked)
        this.pump()
      })
      this.running.add(tracked)
    }
  }

  private async take(t: Task): Promise<SnapshotOutcome> {
    const jpeg = await this.deps.grab(t.cameraId)
    if (!jpeg.ok) return { cameraId: t.cameraId, at: this.now, error: jpeg.reason }
    if (!this.madeDir) {
      await mkdir(this.deps.dir, { recursive: true })
      this.madeDir = true
    }
    const file = `${t.alarmId}-${t.cameraId}.jpg`
    await writeFile(join(this.deps.dir, file), jpeg.data)
    return { cameraId: t.cameraId, at: jpeg.wallAt, file, bytes: jpeg.data.length }
  }

  private async finish(alarmId: number, outcomes: SnapshotOutcome[]): Promise<void> {
    try {
      for (const o of outcomes) {
        this.deps.repo.record(alarmId, o)
        if ('error' in o)
          this.failures.add(`alarm snapshot: camera ${o.cameraId} gave no picture: ${o.error}`)
      }
      this.deps.done(alarmId, outcomes)
      await this.keepWithinCap()
    } catch (err) {
      this.deps.log.error({ err, alarmId }, 'alarm snapshots not recorded')
    }
  }

  /** Deletes the oldest pictures while the folder is over its size cap. */
  private async keepWithinCap(): Promise<void> {
    const cap = this.deps.maxBytes ?? DEFAULT_SNAPSHOT_CAP_BYTES
    let total = this.deps.repo.totalBytes()
    while (total > cap) {
      const oldest = this.deps.repo.oldestFiles(16)
      if (oldest.length === 0) return
      for (const f of oldest) {
        if (total <= cap) return
        this.deps.repo.forget(f.alarmId, f.cameraId)
        total -= f.bytes
        await unlink(join(this.deps.dir, f.file)).catch((err: unknown) =>
          this.deps.log.warn({ err, file: f.file }, 'alarm snapshot file not deleted'),
        )
      }
    }
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
