/**
 * Heavy reads (history, aggregates, exports) run on a pool of worker threads, each with its own read-only
 * SQLite connection, so the event loop keeps serving devices while they run. WAL lets them read while
 * the single writer on the main thread commits. With USEDB=false (in-memory database) the pool runs the
 * same named queries inline on the writer connection, since an in-memory database cannot be shared.
 */
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import type { Statement } from 'better-sqlite3'
import type { Db } from './open'
import { READ_QUERIES, type QueryName, type QueryParams } from './read-queries'
import { READ_WORKER_SOURCE } from './read-worker-source'
import type { PoolStats } from '../../shared/schemas/metrics'

export type { PoolStats }

/** One read's timings (the station's Prometheus histograms observe them). */
export interface ReadTiming {
  query: QueryName
  /** Waiting for a free connection. */
  waitMs: number
  /** Running on the connection. */
  queryMs: number
  ok: boolean
}
export type ReadObserver = (timing: ReadTiming) => void

export interface ReadPool {
  run<T = unknown>(name: QueryName, params: QueryParams): Promise<T>
  stats(): PoolStats
  close(): Promise<void>
}

interface Job {
  id: number
  name: QueryName
  params: QueryParams
  enqueuedAt: number
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

interface Slot {
  worker: Worker
  job: Job | undefined
}

export class PoolClosedError extends Error {
  constructor() {
    super('The read pool is closed')
  }
}

class Counters {
  constructor(private readonly observe: ReadObserver | undefined) {}
  served = 0
  failed = 0
  totalWait = 0
  maxWait = 0
  totalQuery = 0
  maxQuery = 0
  record(query: QueryName, waitMs: number, queryMs: number, ok: boolean) {
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
      avgQueueWaitMs: this.totalWait / n,
      maxQueueWaitMs: this.maxWait,
      avgQueryMs: this.totalQuery / n,
      maxQueryMs: this.maxQuery,
    }
  }
}

export class WorkerReadPool implements ReadPool {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private readonly counters: Counters
  private nextId = 1
  private closed = false

  constructor(
    dbPath: string,
    size: number,
    private readonly maxQueued = 1000,
    /** The better-sqlite3 native module each worker loads (the desktop app's build for Electron). */
    nativeBinding?: string,
    observe?: ReadObserver,
  ) {
    this.counters = new Counters(observe)
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')
    for (let i = 0; i < size; i++) {
      const worker = new Worker(READ_WORKER_SOURCE, {
        eval: true,
        workerData: { dbPath, driverPath, nativeBinding, queries: READ_QUERIES },
        name: `sqlite-reader-${i + 1}`,
      })
      const slot: Slot = { worker, job: undefined }
      worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string; ms: number }) =>
        this.onResult(slot, msg),
      )
      worker.on('error', (err) => {
        const job = slot.job
        slot.job = undefined
        job?.reject(err)
      })
      this.slots.push(slot)
    }
  }

  run<T>(name: QueryName, params: QueryParams): Promise<T> {
    if (this.closed) return Promise.reject(new PoolClosedError())
    if (this.queue.length >= this.maxQueued) return Promise.reject(new Error('The read pool queue is full'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        name,
        params,
        enqueuedAt: performance.now(),
        resolve: resolve as (v: unknown) => void,
        reject,
      })
      this.dispatch()
    })
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return
      if (slot.job) continue
      const job = this.queue.shift()!
      slot.job = job
      slot.worker.postMessage({ type: 'run', id: job.id, name: job.name, params: job.params })
    }
  }

  private onResult(
    slot: Slot,
    msg: { id: number; ok: boolean; result?: unknown; error?: string; ms: number },
  ) {
    const job = slot.job
    slot.job = undefined
    if (job && job.id === msg.id) {
      const wait = performance.now() - job.enqueuedAt - msg.ms
      this.counters.record(job.name, Math.max(0, wait), msg.ms, msg.ok)
      if (msg.ok) job.resolve(msg.result)
      else job.reject(new Error(msg.error))
    }
    this.dispatch()
  }

  stats(): PoolStats {
    const inUse = this.slots.filter((s) => s.job).length
    return {
      mode: 'workers',
      size: this.slots.length,
      inUse,
      available: this.slots.length - inUse,
      queued: this.queue.length,
      ...this.counters.snapshot(),
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new PoolClosedError())
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.worker.once('exit', () => resolve())
            s.worker.postMessage({ type: 'close' })
            // A worker stuck in a long query is terminated rather than holding up shutdown.
            setTimeout(() => void s.worker.terminate(), 5000).unref()
          }),
      ),
    )
  }
}

/** USEDB=false: the same named queries, run on the in-memory writer connection. */
export class InlineReadPool implements ReadPool {
  private readonly statements = new Map<QueryName, Statement>()
  private readonly counters: Counters
  private closed = false

  constructor(
    private readonly db: Db,
    observe?: ReadObserver,
  ) {
    this.counters = new Counters(observe)
  }

  async run<T>(name: QueryName, params: QueryParams): Promise<T> {
    if (this.closed) throw new PoolClosedError()
    let stmt = this.statements.get(name)
    if (!stmt) {
      stmt = this.db.prepare(READ_QUERIES[name].sql)
      this.statements.set(name, stmt)
    }
    const started = performance.now()
    try {
      const result = READ_QUERIES[name].mode === 'get' ? stmt.get(params) : stmt.all(params)
      this.counters.record(name, 0, performance.now() - started, true)
      return result as T
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
