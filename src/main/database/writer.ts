/**
 * The station's writer: runs the named write operations of ./write-ops.ts and resolves once each has
 * committed. `WorkerWriter` runs them on a dedicated thread with its own connection, so the main thread
 * never blocks on an fsync or on SQLite's insert work and the second core does it. `InlineWriter` runs the
 * same operations on the main connection, for USEDB=false: an in-memory database cannot be shared across
 * threads.
 *
 * The main connection keeps its rare writes (users, sessions, cameras, areas, settings, acknowledgements).
 * SQLite lets one connection write at a time: both connections keep busy_timeout, every operation here
 * takes the write lock first (IMMEDIATE) and none holds it across an await, so neither can deadlock the
 * other; at worst one waits for the other's transaction to end.
 */
import type { Worker } from 'node:worker_threads'
import type { Db } from './open'
import { resolveWorkerEntry, startWorker, type WorkerEntry } from './worker-entry'
import { createWriteOps, type WriteOpName, type WriteOpPayload, type WriteOpResult } from './write-ops'
import type { StorageMonitor } from './storage-monitor'
import type { WriterErrorInfo, WriterRequest, WriterResponse, WriterWorkerData } from './writer-protocol'

import type { WriterStats } from '../../shared/schemas/metrics'
export type { WriterStats }

/** One write operation's timings (the station's Prometheus histograms observe them). */
export interface WriteTiming {
  op: WriteOpName
  ok: boolean
  /** Inside the operation, on the writer (transaction and commit). */
  opMs: number
  /** From sending the operation to its answer (waiting for the writer included). */
  roundTripMs: number
}
export type WriteObserver = (timing: WriteTiming) => void

export interface Writer {
  /** Runs a named write operation; resolves with its result once committed, rejects if rolled back. */
  run<K extends WriteOpName>(
    op: K,
    payload: WriteOpPayload<K>,
    transfer?: readonly ArrayBuffer[],
  ): Promise<WriteOpResult<K>>
  stats(): WriterStats
  /** Waits for the operations in flight, then closes the writer's connection. */
  close(): Promise<void>
}

/** An operation that failed on the writer thread: SQLite's error, rebuilt on the main thread. */
export class WriterError extends Error {
  readonly code: string | undefined
  constructor(info: WriterErrorInfo) {
    super(info.message)
    this.name = info.name
    this.code = info.code
  }
}

export class WriterClosedError extends Error {
  constructor() {
    super('The database writer is closed')
  }
}

class Counters {
  constructor(private readonly observe: WriteObserver | undefined) {}
  ops = 0
  failed = 0
  totalOp = 0
  maxOp = 0
  totalTrip = 0
  maxTrip = 0
  restarts = 0
  record(op: WriteOpName, ok: boolean, opMs: number, tripMs: number) {
    try {
      this.observe?.({ op, ok, opMs, roundTripMs: tripMs })
    } catch {
      // An observer (metrics) never fails a write.
    }
    if (ok) this.ops++
    else this.failed++
    this.totalOp += opMs
    this.maxOp = Math.max(this.maxOp, opMs)
    this.totalTrip += tripMs
    this.maxTrip = Math.max(this.maxTrip, tripMs)
  }
  snapshot(mode: WriterStats['mode'], inFlight: number): WriterStats {
    const n = this.ops + this.failed || 1
    return {
      mode,
      ops: this.ops,
      failed: this.failed,
      inFlight,
      avgOpMs: this.totalOp / n,
      maxOpMs: this.maxOp,
      avgRoundTripMs: this.totalTrip / n,
      maxRoundTripMs: this.maxTrip,
      restarts: this.restarts,
    }
  }
}

const WORKER_BASENAME = 'writer-worker'

/** Finds the writer thread's entry (see ./worker-entry.ts): its source from source, else the built file. */
export function resolveWriterWorker(explicit?: string): WorkerEntry {
  return resolveWorkerEntry(WORKER_BASENAME, 'SQLite writer worker', explicit)
}

interface Job {
  op: WriteOpName
  sentAt: number
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

/** At most this many restarts of a dying writer thread within a minute; then writes fail until restart. */
const MAX_RESTARTS_PER_MINUTE = 5

export class WorkerWriter implements Writer {
  private worker!: Worker
  private ready!: Promise<void>
  private readonly jobs = new Map<number, Job>()
  private readonly counters: Counters
  private nextId = 1
  private closed = false
  private dead: Error | undefined
  private restartTimes: number[] = []
  private idleWaiters: (() => void)[] = []

  private constructor(
    private readonly data: WriterWorkerData,
    private readonly entry: WorkerEntry,
    private readonly onError: (err: Error) => void,
    observe: WriteObserver | undefined,
  ) {
    this.counters = new Counters(observe)
    this.spawn()
  }

  /** Starts the writer thread; resolves once its connection is open and its statements prepared. */
  static async start(opts: {
    dbPath: string
    synchronous: 'FULL' | 'NORMAL'
    nativeBinding?: string | undefined
    /** The built worker file, when the caller knows better than `resolveWriterWorker()`. */
    workerFile?: string | undefined
    /** A writer thread died (its operations in flight were failed); it is restarted on the next write. */
    onError?: (err: Error) => void
    /** Sees every operation's timings. */
    observe?: WriteObserver
  }): Promise<WorkerWriter> {
    const entry = resolveWriterWorker(opts.workerFile)
    const writer = new WorkerWriter(
      { dbPath: opts.dbPath, synchronous: opts.synchronous, nativeBinding: opts.nativeBinding },
      entry,
      opts.onError ?? (() => {}),
      opts.observe,
    )
    try {
      await writer.ready
    } catch (err) {
      writer.closed = true
      throw err
    }
    return writer
  }

  private spawn(): void {
    const worker = startWorker(this.entry, { workerData: this.data, name: 'sqlite-writer' })
    this.worker = worker
    this.dead = undefined
    this.ready = new Promise<void>((resolve, reject) => {
      let started = false
      worker.on('message', (msg: WriterResponse) => {
        if (msg.type === 'ready') {
          started = true
          resolve()
        } else this.onResult(msg)
      })
      worker.on('error', (err) => {
        const why = new Error(
          `The SQLite writer thread ${started ? 'failed' : `could not start (${this.entry.file})`}: ${err.message}`,
          { cause: err },
        )
        if (!started) reject(why)
        this.died(worker, why)
      })
      worker.on('exit', (code) => {
        if (!started) reject(new Error(`The SQLite writer thread exited (code ${code}) before it was ready`))
        this.died(worker, new Error(`The SQLite writer thread exited (code ${code})`))
      })
    })
    // Failures before `ready` reach start() or the operations waiting; never an unhandled rejection.
    this.ready.catch(() => {})
  }

  /** The thread is gone: what it had not answered failed (unknown outcome, so never acknowledged). */
  private died(worker: Worker, err: Error): void {
    if (worker !== this.worker || this.dead) return
    this.dead = err
    for (const [id, job] of this.jobs) {
      this.jobs.delete(id)
      this.counters.record(job.op, false, 0, performance.now() - job.sentAt)
      job.reject(err)
    }
    this.settleIdle()
    if (!this.closed) this.onError(err)
  }

  private revive(): Error | undefined {
    if (!this.dead) return undefined
    const now = Date.now()
    this.restartTimes = this.restartTimes.filter((t) => now - t < 60_000)
    if (this.restartTimes.length >= MAX_RESTARTS_PER_MINUTE) return this.dead
    this.restartTimes.push(now)
    this.counters.restarts++
    this.spawn()
    return undefined
  }

  run<K extends WriteOpName>(
    op: K,
    payload: WriteOpPayload<K>,
    transfer?: readonly ArrayBuffer[],
  ): Promise<WriteOpResult<K>> {
    if (this.closed) return Promise.reject(new WriterClosedError())
    const down = this.revive()
    if (down) return Promise.reject(down)
    const id = this.nextId++
    return new Promise<WriteOpResult<K>>((resolve, reject) => {
      this.jobs.set(id, {
        op,
        sentAt: performance.now(),
        resolve: resolve as (v: unknown) => void,
        reject,
      })
      const msg: WriterRequest = { type: 'run', id, op, payload }
      try {
        this.worker.postMessage(msg, transfer)
      } catch (err) {
        // Not cloneable: a programming error, reported to the caller; nothing was written.
        this.jobs.delete(id)
        reject(err instanceof Error ? err : new Error(String(err)))
      }
    })
  }

  private onResult(msg: Extract<WriterResponse, { type: 'result' }>): void {
    const job = this.jobs.get(msg.id)
    if (!job) return
    this.jobs.delete(msg.id)
    this.counters.record(job.op, msg.ok, msg.ms, performance.now() - job.sentAt)
    if (msg.ok) job.resolve(msg.result)
    else job.reject(new WriterError(msg.error))
    this.settleIdle()
  }

  private settleIdle(): void {
    if (this.jobs.size > 0 || this.idleWaiters.length === 0) return
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  stats(): WriterStats {
    return this.counters.snapshot('worker', this.jobs.size)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Operations in flight finish first (the queues were drained before this, so there are few or none).
    if (this.jobs.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    if (this.dead) return
    const worker = this.worker
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      worker.postMessage({ type: 'close' } satisfies WriterRequest)
      // A writer stuck in a long transaction is terminated rather than holding up shutdown.
      setTimeout(() => void worker.terminate(), 10_000).unref()
    })
  }
}

/** USEDB=false: the same operations, run synchronously on the in-memory main connection. */
export class InlineWriter implements Writer {
  private readonly ops: Record<WriteOpName, (payload: unknown) => unknown>
  private readonly counters: Counters
  private closed = false

  constructor(db: Db, observe?: WriteObserver) {
    this.counters = new Counters(observe)
    this.ops = createWriteOps(db) as Record<WriteOpName, (payload: unknown) => unknown>
  }

  run<K extends WriteOpName>(op: K, payload: WriteOpPayload<K>): Promise<WriteOpResult<K>> {
    if (this.closed) return Promise.reject(new WriterClosedError())
    const started = performance.now()
    try {
      const result = this.ops[op](payload) as WriteOpResult<K>
      const ms = performance.now() - started
      this.counters.record(op, true, ms, ms)
      return Promise.resolve(result)
    } catch (err) {
      const ms = performance.now() - started
      this.counters.record(op, false, ms, ms)
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }

  stats(): WriterStats {
    return this.counters.snapshot('inline', 0)
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** Ops that commit nothing of the station's: their success says nothing about whether writes work again. */
const MAINTENANCE_OPS: ReadonlySet<WriteOpName> = new Set(['database.checkpoint'])

/**
 * The writer as the station uses it: a write that fails for the disk's sake (full, read-only, damaged)
 * rejects with a reported `StorageFault` (503 with its code; the monitor logs it, aggregated), and a
 * committed write ends the fault.
 */
export class StorageGuardedWriter implements Writer {
  constructor(
    private readonly inner: Writer,
    private readonly monitor: Pick<StorageMonitor, 'fault' | 'wrote'>,
  ) {}

  run<K extends WriteOpName>(
    op: K,
    payload: WriteOpPayload<K>,
    transfer?: readonly ArrayBuffer[],
  ): Promise<WriteOpResult<K>> {
    return this.inner.run(op, payload, transfer).then(
      (result) => {
        if (!MAINTENANCE_OPS.has(op)) this.monitor.wrote()
        return result
      },
      (err: unknown) => {
        throw this.monitor.fault(err)
      },
    )
  }

  stats(): WriterStats {
    return this.inner.stats()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
