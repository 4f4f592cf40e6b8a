/**
 * Heavy reads (history, aggregates) run on a pool of worker threads (./read-worker.ts), each with its own
 * read-only SQLite connection, so the event loop keeps serving devices while they run. WAL lets them read
 * while the writer commits. With USEDB=false (in-memory database) the same named queries run inline on the
 * main connection, since an in-memory database cannot be shared.
 *
 * A read always settles:
 * - it waits at most `timeoutMs` for a free worker (else 503 OVERLOADED), and runs at most `timeoutMs`:
 *   past it the caller gets 504 READ_TIMEOUT and the worker is terminated (the query's interrupt point
 *   stops it at once, see ./read-queries.ts) and replaced;
 * - a worker that dies fails its query (503 READ_WORKER_DIED) and is started again: at once after it has
 *   served, with a doubling delay while it keeps dying before it answers anything (a worker that cannot
 *   start does not spin the CPU). While no worker can start, reads fail at once (503 READ_POOL_DOWN).
 * Deaths and timeouts are logged aggregated: one line per kind per interval, with the count.
 */
import type { Worker } from 'node:worker_threads'
import type { Db } from './open'
import {
  prepareReads,
  type ReadCatalogue,
  type ReadParams,
  type ReadResult,
  type StationReads,
} from './read-queries'
import { PoolClosedError, ReadPoolError, ReadQueryError, readErrors } from './read-errors'
import type { ReadRequest, ReadResponse, ReadWorkerData } from './read-protocol'
import { resolveWorkerEntry, startWorker, type WorkerEntry } from './worker-entry'
import type { PoolStats } from '../../shared/schemas/metrics'

export type { PoolStats }
export { PoolClosedError, ReadPoolError, ReadQueryError }

export interface ReadPool<C extends ReadCatalogue = StationReads> {
  /** Runs a named query; the parameters and the result's type follow from the name. */
  run<K extends keyof C & string>(name: K, params: ReadParams<C[K]>): Promise<ReadResult<C[K]>>
  stats(): PoolStats
  close(): Promise<void>
}

/** One read's timings (the station's Prometheus histograms observe them). */
export interface ReadTiming {
  query: string
  /** Waiting for a free connection. */
  waitMs: number
  /** Running on the connection. */
  queryMs: number
  ok: boolean
}
export type ReadObserver = (timing: ReadTiming) => void

export interface ReadPoolLog {
  error(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  info(obj: object, msg: string): void
  debug(obj: object, msg: string): void
}

export interface WorkerReadPoolOptions<C extends ReadCatalogue> {
  dbPath: string
  /** Worker threads (each one connection). */
  size: number
  /** The catalogue every worker prepares: READ_QUERIES (tests add their own queries). */
  queries: C
  /** Longest a read may wait for a worker, and longest it may then run. */
  timeoutMs: number
  log: ReadPoolLog
  /** Reads waiting for a worker beyond this many are refused (503). */
  maxQueued?: number
  /** The better-sqlite3 native module each worker loads (the desktop app's build for Electron). */
  nativeBinding?: string | undefined
  /** The built worker file, when the caller knows better than the default lookup (./worker-entry.ts). */
  workerFile?: string | undefined
  /** Restart delays of a worker that keeps dying before it answers: `initialMs`, doubling up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number }
  /** Told every read's timings (metrics). */
  observe?: ReadObserver | undefined
}

interface Job {
  id: number
  name: string
  params: unknown
  enqueuedAt: number
  /** The wait for a worker, then the run: whichever phase the job is in. */
  timer: NodeJS.Timeout
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

interface Slot {
  index: number
  /** Undefined while the slot waits to start its next worker. */
  worker: Worker | undefined
  /** The worker opened its connection and prepared the catalogue. */
  ready: boolean
  job: Job | undefined
  /** Deaths since the slot's worker last answered a query: the restart delay grows with it. */
  deaths: number
  /** Set when the slot's last worker died before `ready`, until one is ready. */
  startError: Error | undefined
  restartTimer: NodeJS.Timeout | undefined
  /** Waiting for stopped workers to exit before starting another (see `retire`). */
  parked: boolean
}

class Counters {
  constructor(private readonly observe: ReadObserver | undefined) {}
  served = 0
  failed = 0
  timedOut = 0
  restarts = 0
  totalWait = 0
  maxWait = 0
  totalQuery = 0
  maxQuery = 0
  record(query: string, waitMs: number, queryMs: number, ok: boolean) {
    try {
      this.observe?.({ query, waitMs, queryMs, ok })
    } catch {
      // An observer (metrics) never fails a read.
    }
    if (ok) this.served++
    else this.failed++
    this.totalWait += waitMs
    this.maxWait = Math.max(this.maxWait, waitMs)
    this.totalQuery += queryMs
    this.maxQuery = Math.max(this.maxQuery, queryMs)
  }
  snapshot() {
    const n = this.served + this.failed || 1
    return {
      readsServed: this.served,
      readsFailed: this.failed,
      readsTimedOut: this.timedOut,
      restarts: this.restarts,
      avgQueueWaitMs: this.totalWait / n,
      maxQueueWaitMs: this.maxWait,
      avgQueryMs: this.totalQuery / n,
      maxQueryMs: this.maxQuery,
    }
  }
}

/** One line per kind of trouble per interval: the first at once, the rest counted into the next line. */
const LOG_INTERVAL_MS = 10_000

class AggregatedLog {
  private readonly kinds = new Map<string, { loggedAt: number; unlogged: number }>()
  constructor(private readonly log: ReadPoolLog) {}

  report(level: 'error' | 'warn', kind: string, fields: object, msg: string): void {
    const now = Date.now()
    let k = this.kinds.get(kind)
    if (!k) {
      k = { loggedAt: -Infinity, unlogged: 0 }
      this.kinds.set(kind, k)
    }
    k.unlogged++
    if (now - k.loggedAt < LOG_INTERVAL_MS) return
    try {
      this.log[level]({ ...fields, count: k.unlogged, intervalMs: LOG_INTERVAL_MS }, msg)
    } catch {
      // A broken logger must not break the pool.
    }
    k.loggedAt = now
    k.unlogged = 0
  }

  say(level: 'info' | 'debug', fields: object, msg: string): void {
    try {
      this.log[level](fields, msg)
    } catch {
      // As above.
    }
  }
}

/** The restart delay after a slot's `deaths`-th death in a row: none after the first, then doubling. */
export function restartDelay(deaths: number, backoff: { initialMs: number; maxMs: number }): number {
  if (deaths <= 1) return 0
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (deaths - 2))
}

const DEFAULT_BACKOFF = { initialMs: 100, maxMs: 30_000 }
const WORKER_BASENAME = 'read-worker'

export class WorkerReadPool<C extends ReadCatalogue = StationReads> implements ReadPool<C> {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  /** Workers terminated after a timeout that have not exited yet. */
  private readonly retiring = new Set<Worker>()
  private readonly counters: Counters
  private readonly log: AggregatedLog
  private readonly entry: WorkerEntry
  private readonly data: ReadWorkerData
  private readonly timeoutMs: number
  private readonly maxQueued: number
  private readonly backoff: { initialMs: number; maxMs: number }
  private nextId = 1
  private closed = false

  constructor(opts: WorkerReadPoolOptions<C>) {
    this.entry = resolveWorkerEntry(WORKER_BASENAME, 'SQLite read worker', opts.workerFile)
    this.data = { dbPath: opts.dbPath, nativeBinding: opts.nativeBinding, queries: opts.queries }
    this.timeoutMs = opts.timeoutMs
    this.maxQueued = opts.maxQueued ?? 1000
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF
    this.log = new AggregatedLog(opts.log)
    this.counters = new Counters(opts.observe)
    for (let index = 0; index < opts.size; index++) {
      const slot: Slot = {
        index,
        worker: undefined,
        ready: false,
        job: undefined,
        deaths: 0,
        startError: undefined,
        restartTimer: undefined,
        parked: false,
      }
      this.slots.push(slot)
      this.spawn(slot)
    }
  }

  run<K extends keyof C & string>(name: K, params: ReadParams<C[K]>): Promise<ReadResult<C[K]>> {
    if (this.closed) return Promise.reject(new PoolClosedError())
    const down = this.downError()
    if (down) return Promise.reject(down)
    if (this.queue.length >= this.maxQueued) return Promise.reject(readErrors.queueFull(this.maxQueued))
    return new Promise<ReadResult<C[K]>>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        name,
        params,
        enqueuedAt: performance.now(),
        timer: setTimeout(() => this.expireWaiting(job), this.timeoutMs),
        resolve: resolve as (v: unknown) => void,
        reject,
      }
      this.queue.push(job)
      this.dispatch()
    })
  }

  stats(): PoolStats {
    const inUse = this.slots.filter((s) => s.job).length
    return {
      mode: 'workers',
      size: this.slots.length,
      inUse,
      available: this.slots.filter((s) => s.ready && !s.job).length,
      queued: this.queue.length,
      ...this.counters.snapshot(),
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const job of this.queue.splice(0)) this.settle(job, new PoolClosedError())
    await Promise.all(this.slots.map((slot) => this.closeSlot(slot)))
  }

  // --- workers ------------------------------------------------------------------------------------------

  private spawn(slot: Slot): void {
    slot.restartTimer = undefined
    slot.parked = false
    if (this.closed) return
    let worker: Worker
    try {
      worker = startWorker(this.entry, { workerData: this.data, name: `sqlite-reader-${slot.index + 1}` })
    } catch (err) {
      // Node refused to start a thread at all (out of resources): the same as dying at start.
      slot.ready = false
      this.died(slot, undefined, err instanceof Error ? err : new Error(String(err)))
      return
    }
    slot.worker = worker
    slot.ready = false
    worker.on('message', (msg: ReadResponse) => this.onMessage(slot, worker, msg))
    worker.on('error', (err) => this.died(slot, worker, err))
    worker.on('exit', (code) => this.died(slot, worker, new Error(`The read worker exited (code ${code})`)))
  }

  private onMessage(slot: Slot, worker: Worker, msg: ReadResponse): void {
    if (slot.worker !== worker) return
    if (msg.type === 'ready') {
      slot.ready = true
      if (slot.startError) {
        this.log.say(
          'info',
          { slot: slot.index + 1, failedStarts: slot.deaths },
          'read worker started after failed starts',
        )
        slot.startError = undefined
      }
      this.dispatch()
      return
    }
    const job = slot.job
    if (!job || job.id !== msg.id) return
    slot.job = undefined
    slot.deaths = 0
    const wait = performance.now() - job.enqueuedAt - msg.ms
    this.counters.record(job.name, Math.max(0, wait), msg.ms, msg.ok)
    clearTimeout(job.timer)
    if (msg.ok) job.resolve(msg.result)
    else job.reject(new ReadQueryError(msg.error))
    this.dispatch()
  }

  /** A worker died (error, exit, or it could not be started): fail its query, start another. */
  private died(slot: Slot, worker: Worker | undefined, err: Error): void {
    if (worker !== undefined && slot.worker !== worker) return
    const wasReady = slot.ready
    slot.worker = undefined
    slot.ready = false
    const job = slot.job
    slot.job = undefined
    if (job) this.settle(job, this.closed ? new PoolClosedError() : readErrors.workerDied(job.name, err))
    if (this.closed) return
    slot.deaths++
    if (!wasReady) slot.startError = err
    const delayMs = restartDelay(slot.deaths, this.backoff)
    this.log.report(
      'error',
      wasReady ? 'died' : 'start-failed',
      { err, slot: slot.index + 1, query: job?.name, deathsInARow: slot.deaths, restartInMs: delayMs },
      wasReady ? 'read worker died; starting another' : 'read worker failed to start; retrying',
    )
    this.log.say(
      'debug',
      { slot: slot.index + 1, attempt: slot.deaths, delayMs },
      'read worker restart scheduled',
    )
    this.scheduleRestart(slot, delayMs)
    const down = this.downError()
    if (down) for (const queued of this.queue.splice(0)) this.settle(queued, down)
  }

  private scheduleRestart(slot: Slot, delayMs: number): void {
    if (delayMs === 0) {
      this.counters.restarts++
      this.spawn(slot)
      return
    }
    slot.restartTimer = setTimeout(() => {
      this.counters.restarts++
      this.spawn(slot)
    }, delayMs)
    slot.restartTimer.unref()
  }

  /**
   * Stops a worker whose query ran too long and starts another in its slot. The stopped thread leaves at
   * its query's next interrupt point; should one not reach it (work between interrupt points, such as a
   * large sort), at most `size` such threads are left running: past that, the slot waits for one to exit.
   */
  private retire(slot: Slot): void {
    const worker = slot.worker
    slot.worker = undefined
    slot.ready = false
    if (worker) {
      this.retiring.add(worker)
      worker.once('exit', () => {
        this.retiring.delete(worker)
        this.unpark()
      })
      worker.unref()
      void worker.terminate().catch(() => {})
    }
    if (this.retiring.size > this.slots.length) {
      slot.parked = true
      this.log.report(
        'warn',
        'parked',
        { slot: slot.index + 1, stopping: this.retiring.size },
        'stopped read workers have not exited yet; waiting before starting another',
      )
      return
    }
    this.counters.restarts++
    this.spawn(slot)
  }

  private unpark(): void {
    for (const slot of this.slots) {
      if (!slot.parked || this.retiring.size > this.slots.length) continue
      this.counters.restarts++
      this.spawn(slot)
    }
  }

  private closeSlot(slot: Slot): Promise<void> {
    clearTimeout(slot.restartTimer)
    slot.parked = false
    const worker = slot.worker
    if (!worker) return Promise.resolve()
    return new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      worker.postMessage({ type: 'close' } satisfies ReadRequest)
      // A worker still busy is terminated rather than holding up shutdown (its query fails).
      setTimeout(() => void worker.terminate().catch(() => {}), 5000).unref()
    })
  }

  // --- jobs ---------------------------------------------------------------------------------------------

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return
      if (!slot.worker || !slot.ready || slot.job) continue
      const job = this.queue.shift()!
      clearTimeout(job.timer)
      job.timer = setTimeout(() => this.expireRunning(slot, job), this.timeoutMs)
      slot.job = job
      try {
        slot.worker.postMessage({
          type: 'run',
          id: job.id,
          name: job.name,
          params: job.params,
        } satisfies ReadRequest)
      } catch (err) {
        // Parameters that cannot be cloned: a programming error, reported to the caller.
        slot.job = undefined
        this.settle(job, err instanceof Error ? err : new Error(String(err)))
      }
    }
  }

  /** No worker took the job within the timeout. */
  private expireWaiting(job: Job): void {
    const i = this.queue.indexOf(job)
    if (i < 0) return
    this.queue.splice(i, 1)
    this.log.report(
      'warn',
      'busy',
      { query: job.name, timeoutMs: this.timeoutMs, queued: this.queue.length },
      'a read waited too long for a read worker',
    )
    this.settle(job, readErrors.busy(this.timeoutMs))
  }

  /** The job ran past the timeout: the caller hears so now, and its worker is stopped and replaced. */
  private expireRunning(slot: Slot, job: Job): void {
    if (slot.job !== job) return
    slot.job = undefined
    this.counters.timedOut++
    this.log.report(
      'warn',
      'timeout',
      { query: job.name, timeoutMs: this.timeoutMs, slot: slot.index + 1 },
      'read ran past the read timeout; its worker was stopped',
    )
    this.settle(job, readErrors.timeout(job.name, this.timeoutMs))
    this.retire(slot)
  }

  private settle(job: Job, err: Error): void {
    clearTimeout(job.timer)
    this.counters.record(job.name, performance.now() - job.enqueuedAt, 0, false)
    job.reject(err)
  }

  /** Every slot's last worker died before it was ready (none is up): the pool is down, reads fail at once. */
  private downError(): ReadPoolError | undefined {
    const cause = this.slots[0]?.startError
    if (!cause || !this.slots.every((s) => s.startError && !s.ready)) return undefined
    return readErrors.down(cause)
  }
}

/** USEDB=false: the same named queries, run on the in-memory main connection (no timeout: they are inline). */
export class InlineReadPool<C extends ReadCatalogue = StationReads> implements ReadPool<C> {
  private readonly runQuery: (name: string, params: unknown) => unknown
  private readonly counters: Counters
  private closed = false

  constructor(db: Db, queries: C, observe?: ReadObserver) {
    this.runQuery = prepareReads(db, queries)
    this.counters = new Counters(observe)
  }

  async run<K extends keyof C & string>(name: K, params: ReadParams<C[K]>): Promise<ReadResult<C[K]>> {
    if (this.closed) throw new PoolClosedError()
    const started = performance.now()
    try {
      const result = this.runQuery(name, params) as ReadResult<C[K]>
      this.counters.record(name, 0, performance.now() - started, true)
      return result
    } catch (err) {
      this.counters.record(name, 0, performance.now() - started, false)
      throw err
    }
  }

  stats(): PoolStats {
    return { mode: 'inline', size: 1, inUse: 0, available: 1, queued: 0, ...this.counters.snapshot() }
  }

  async close(): Promise<void> {
    this.closed = true
  }
}
