/**
 * Export jobs: a standard MP4 of [from, to) of one camera, made by an ffmpeg child process (concat of the
 * segment files, stream copy, faststart) into a temporary file, then downloaded. Never on the event loop:
 * ffmpeg does the work, the file is hashed (SHA-256, for the hand-over) by streaming it.
 *
 * Bounded so exports never slow live view: at most `maxRunning` ffmpeg at once, run at a lower priority
 * (os.setPriority), `maxQueued` waiting (then 503 EXPORTS_BUSY), `perUser` unfinished per user (then 429),
 * both with Retry-After. A finished file is kept `keepMs` for repeated downloads, then removed; failed and
 * cancelled jobs remove theirs at once; the whole temporary folder is emptied on start and on close.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm, stat, statfs, writeFile } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { setPriority } from 'node:os'
import path from 'node:path'
import type { ExportJob, ExportState } from '../../../shared/schemas/playback'
import { EXPORT_MAX_RANGE_MS } from '../../../shared/schemas/playback'
import { StationError, errors } from '../../server/errors'
import {
  ProgressParser,
  exportArgs,
  exportFileName,
  exportMetadata,
  planExport,
  type ExportPlan,
  type ExportSegment,
} from './export-plan'

export interface ExportOwner {
  username: string
  admin: boolean
}

export interface ExportServiceOptions {
  /** ffmpeg's path, or why there is none. */
  ffmpeg: () => Promise<{ path: string } | { missing: string }>
  /** The segments overlapping [from, to) (bounded), oldest first, with absolute file paths. */
  segments: (cameraId: number, from: number, to: number) => Promise<ExportSegment[]>
  cameraName: (cameraId: number) => string
  stationName: string
  tmpDir: string
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }
  maxRunning?: number
  maxQueued?: number
  perUser?: number
  keepMs?: number
  /** A run that writes nothing this long is killed. */
  stallMs?: number
  now?: () => number
}

interface Job {
  view: ExportJob
  owner: string
  plan: ExportPlan
  dir: string
  outFile: string
  child: ChildProcess | null
  done: Promise<void>
  settle: () => void
}

const FINISHED: ReadonlySet<ExportState> = new Set(['done', 'failed', 'cancelled'])
/** Room kept free on the volume beyond the file itself. */
const SPARE_BYTES = 64 * 1024 * 1024

export const exportErrors = {
  busy: (seconds: number) =>
    new StationError(503, 'EXPORTS_BUSY', 'Too many exports are waiting; try again shortly', {
      'retry-after': String(seconds),
    }),
  tooMany: (seconds: number) =>
    new StationError(429, 'TOO_MANY_EXPORTS', 'You have exports running; wait for one to finish', {
      'retry-after': String(seconds),
    }),
  nothingRecorded: () =>
    new StationError(404, 'NO_RECORDING', 'Nothing was recorded by this camera in that time range'),
  noSpace: () =>
    new StationError(
      507,
      'EXPORT_NO_SPACE',
      'Not enough free disk space on the station for this export: choose a shorter range',
    ),
  noFfmpeg: (why: string) => new StationError(503, 'FFMPEG_MISSING', why),
  failed: (why: string) => new StationError(500, 'EXPORT_FAILED', `The export failed: ${why}`),
}

export class ExportService {
  private readonly jobs = new Map<string, Job>()
  private readonly queue: Job[] = []
  private running = 0
  private closed = false
  private readonly sweep: NodeJS.Timeout
  private readonly maxRunning: number
  private readonly maxQueued: number
  private readonly perUser: number
  private readonly keepMs: number
  private readonly stallMs: number
  private readonly now: () => number
  readonly totals = { started: 0, done: 0, failed: 0, cancelled: 0, refused: 0 }

  constructor(private readonly o: ExportServiceOptions) {
    this.maxRunning = o.maxRunning ?? 2
    this.maxQueued = o.maxQueued ?? 8
    this.perUser = o.perUser ?? 3
    this.keepMs = o.keepMs ?? 30 * 60_000
    this.stallMs = o.stallMs ?? 30_000
    this.now = o.now ?? Date.now
    // Left over from a station that stopped mid-export.
    rmSync(o.tmpDir, { recursive: true, force: true })
    this.sweep = setInterval(() => this.expire(), 60_000)
    this.sweep.unref()
  }

  /** Queues an export; answers the job (queued or already running). */
  async start(owner: ExportOwner, cameraId: number, from: number, to: number): Promise<ExportJob> {
    if (this.closed) throw errors.shuttingDown()
    if (!(to > from)) throw errors.badRequest('to must be after from')
    if (to - from > EXPORT_MAX_RANGE_MS)
      throw errors.badRequest(`An export covers at most ${EXPORT_MAX_RANGE_MS / 3_600_000} hours`)
    const unfinished = [...this.jobs.values()].filter((j) => !FINISHED.has(j.view.state))
    if (unfinished.filter((j) => j.owner === owner.username).length >= this.perUser) {
      this.totals.refused++
      throw exportErrors.tooMany(10)
    }
    if (this.running >= this.maxRunning && this.queue.length >= this.maxQueued) {
      this.totals.refused++
      throw exportErrors.busy(10)
    }
    const ffmpeg = await this.o.ffmpeg()
    if ('missing' in ffmpeg) throw exportErrors.noFfmpeg(ffmpeg.missing)
    const segments = await this.o.segments(cameraId, from, to)
    const plan = planExport(segments, from, to)
    if (plan.recordedMs <= 0) throw exportErrors.nothingRecorded()
    await mkdir(this.o.tmpDir, { recursive: true })
    const free = await statfs(this.o.tmpDir).then((s) => s.bavail * s.bsize)
    if (free < plan.estimatedBytes * 1.2 + SPARE_BYTES) throw exportErrors.noSpace()

    const id = randomBytes(12).toString('hex')
    const cameraName = this.o.cameraName(cameraId)
    const dir = path.join(this.o.tmpDir, id)
    let settle = () => {}
    const done = new Promise<void>((resolve) => (settle = resolve))
    const job: Job = {
      owner: owner.username,
      plan,
      dir,
      outFile: path.join(dir, 'export.mp4'),
      child: null,
      done,
      settle,
      view: {
        id,
        cameraId,
        cameraName,
        from,
        to,
        state: 'queued',
        progress: 0,
        recordedMs: plan.recordedMs,
        estimatedBytes: plan.estimatedBytes,
        bytes: null,
        sha256: null,
        fileName: exportFileName(cameraName, from, to),
        downloadUrl: null,
        error: null,
        queuePosition: 0,
        createdAt: this.now(),
        expiresAt: null,
      },
    }
    this.jobs.set(id, job)
    this.queue.push(job)
    this.totals.started++
    this.pump(ffmpeg.path)
    return this.view(job)
  }

  /** The job, if `owner` may see it (its creator, or an admin). */
  get(id: string, owner: ExportOwner): ExportJob | undefined {
    const j = this.visible(id, owner)
    return j && this.view(j)
  }

  /** Resolves once the job has finished (done, failed or cancelled). */
  async wait(id: string): Promise<ExportJob | undefined> {
    const j = this.jobs.get(id)
    if (!j) return undefined
    await j.done
    return this.view(j)
  }

  /** The finished file of a job `owner` may see. */
  file(id: string, owner: ExportOwner): { path: string; fileName: string; bytes: number } | undefined {
    const j = this.visible(id, owner)
    if (!j || j.view.state !== 'done' || j.view.bytes === null) return undefined
    return { path: j.outFile, fileName: j.view.fileName, bytes: j.view.bytes }
  }

  /** Stops a job (killing its ffmpeg) or drops a finished one with its file. */
  async cancel(id: string, owner: ExportOwner): Promise<ExportJob | undefined> {
    const j = this.visible(id, owner)
    if (!j) return undefined
    if (!FINISHED.has(j.view.state)) this.finish(j, 'cancelled', null)
    else await this.remove(j)
    return this.view(j)
  }

  /** Forgets a job and removes its file (the one-shot export.mp4 route, once its answer is sent). */
  async discard(id: string): Promise<void> {
    const j = this.jobs.get(id)
    if (!j) return
    if (!FINISHED.has(j.view.state)) this.finish(j, 'cancelled', null)
    await this.remove(j)
  }

  stats() {
    const states = [...this.jobs.values()].map((j) => j.view.state)
    return {
      running: this.running,
      queued: this.queue.length,
      kept: states.filter((s) => s === 'done').length,
      ...this.totals,
    }
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.sweep)
    for (const j of this.jobs.values()) if (!FINISHED.has(j.view.state)) this.finish(j, 'cancelled', null)
    await Promise.all([...this.jobs.values()].map((j) => j.done))
    this.jobs.clear()
    await rm(this.o.tmpDir, { recursive: true, force: true })
  }

  private visible(id: string, owner: ExportOwner): Job | undefined {
    const j = this.jobs.get(id)
    return j && (owner.admin || j.owner === owner.username) ? j : undefined
  }

  private view(j: Job): ExportJob {
    const pos = this.queue.indexOf(j)
    return { ...j.view, queuePosition: pos < 0 ? 0 : pos + 1 }
  }

  private pump(ffmpegPath: string): void {
    while (!this.closed && this.running < this.maxRunning && this.queue.length > 0) {
      const j = this.queue.shift()!
      this.running++
      void this.run(j, ffmpegPath).finally(() => {
        this.running--
        this.pump(ffmpegPath)
      })
    }
  }

  private async run(j: Job, ffmpegPath: string): Promise<void> {
    if (j.view.state !== 'queued') return
    j.view.state = 'running'
    try {
      await mkdir(j.dir, { recursive: true })
      const listFile = path.join(j.dir, 'segments.txt')
      await writeFile(listFile, j.plan.list)
      const metadata = exportMetadata({
        station: this.o.stationName,
        camera: j.view.cameraName,
        cameraId: j.view.cameraId,
        from: j.view.from,
        to: j.view.to,
        ranges: j.plan.ranges,
      })
      const args = exportArgs({ listFile, outFile: j.outFile, plan: j.plan, metadata })
      await this.ffmpeg(j, ffmpegPath, args)
      if (j.view.state !== 'running') return
      const bytes = (await stat(j.outFile)).size
      const sha256 = await hashFile(j.outFile)
      if (j.view.state !== 'running') return
      Object.assign(j.view, {
        bytes,
        sha256,
        progress: 1,
        downloadUrl: `/api/v1/recordings/exports/${j.view.id}/file`,
        expiresAt: this.now() + this.keepMs,
      })
      this.finish(j, 'done', null)
    } catch (err) {
      if (j.view.state === 'running') this.finish(j, 'failed', (err as Error).message)
    }
  }

  private ffmpeg(j: Job, ffmpegPath: string, args: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: {} })
      j.child = child
      try {
        // Below live view and recording: an export may take longer, never them.
        if (child.pid !== undefined) setPriority(child.pid, 10)
      } catch {
        // Not allowed here (some platforms): it runs at normal priority.
      }
      const progress = new ProgressParser()
      let stderr = ''
      let lastProgressAt = performance.now()
      const watchdog = setInterval(() => {
        if (performance.now() - lastProgressAt > this.stallMs) child.kill('SIGKILL')
      }, 1000)
      watchdog.unref()
      child.stdout.setEncoding('utf8').on('data', (chunk: string) =>
        progress.push(chunk, (s) => {
          lastProgressAt = performance.now()
          const total = j.plan.durationS
          // 0.99 until the file is complete (faststart moves the index after the last frame).
          if (total > 0) j.view.progress = Math.min(0.99, Math.max(j.view.progress, s / total))
        }),
      )
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-2000)
      })
      child.once('error', (err) => {
        clearInterval(watchdog)
        reject(err)
      })
      child.once('close', (code, signal) => {
        clearInterval(watchdog)
        j.child = null
        if (code === 0) resolve()
        else
          reject(
            new Error(
              `ffmpeg ${signal ? `was stopped (${signal})` : `failed (exit ${code})`}: ${stderr.trim().split('\n').at(-1) ?? ''}`.trim(),
            ),
          )
      })
    })
  }

  private finish(j: Job, state: ExportState, error: string | null): void {
    if (FINISHED.has(j.view.state)) return
    const queued = this.queue.indexOf(j)
    if (queued >= 0) this.queue.splice(queued, 1)
    j.view.state = state
    j.view.error = error
    if (state === 'done') this.totals.done++
    else if (state === 'failed') this.totals.failed++
    else this.totals.cancelled++
    if (state !== 'done') {
      j.child?.kill('SIGKILL')
      if (state === 'failed') this.o.log.warn({ job: j.view.id, error }, 'export failed')
    } else {
      this.o.log.info(
        { job: j.view.id, cameraId: j.view.cameraId, bytes: j.view.bytes, ms: this.now() - j.view.createdAt },
        'export done',
      )
    }
    // The folder goes once ffmpeg has let go of it.
    const child = j.child
    const cleanup = async () => {
      if (state !== 'done') await rm(j.dir, { recursive: true, force: true })
      j.settle()
    }
    if (child && child.exitCode === null && child.signalCode === null)
      child.once('close', () => void cleanup())
    else void cleanup()
  }

  private async remove(j: Job): Promise<void> {
    this.jobs.delete(j.view.id)
    await rm(j.dir, { recursive: true, force: true })
  }

  private expire(): void {
    const now = this.now()
    for (const j of this.jobs.values()) {
      const gone = j.view.expiresAt !== null ? j.view.expiresAt <= now : false
      const stale =
        FINISHED.has(j.view.state) && j.view.state !== 'done' && now - j.view.createdAt > this.keepMs
      if (gone || stale) void this.remove(j)
    }
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .once('error', reject)
      .once('end', () => resolve(h.digest('hex')))
  })
}
