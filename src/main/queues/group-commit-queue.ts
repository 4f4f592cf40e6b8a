/**
 * A bounded write queue with group commit.
 *
 * Callers enqueue a group of items (one request's worth) and get a promise that settles only after the
 * transaction holding that group has committed: an acknowledged write survives a crash of the process.
 * The queue does not sleep a fixed interval before committing: it commits on the next turn of the event loop
 * (as soon as the single writer is free), so whatever arrived meanwhile rides along in the same transaction.
 * Batches therefore grow with load while an idle station commits within a millisecond. `maxWaitMs` is the
 * longest a write may wait, never a fixed delay.
 *
 * The commit function may be synchronous (it runs on the main thread's connection) or return a promise (it
 * runs on the writer thread). An asynchronous queue keeps one flush in flight at a time (one writer):
 * what arrives meanwhile accumulates and rides in the next flush, which starts the moment the previous one
 * completes.
 *
 * Past `maxPending` items, those in flight included, the queue refuses new work (QueueFullError → 503 +
 * Retry-After) instead of growing memory.
 */
import type { QueueConfig } from '../config'
import { StorageFault } from '../database/storage-fault'
import type { QueueStats } from '../../shared/schemas/metrics'

export class QueueFullError extends Error {
  readonly retryAfterSeconds: number
  constructor(
    readonly queue: string,
    retryAfterSeconds = 1,
  ) {
    super(`The ${queue} write queue is full; retry shortly`)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class QueueClosedError extends Error {
  constructor(readonly queue: string) {
    super(`The station is shutting down; the ${queue} queue accepts no more writes`)
  }
}

interface Group<T> {
  items: T[]
  at: number
  resolve: () => void
  reject: (err: Error) => void
}

export type { QueueStats }

/** One committed flush (the station's Prometheus histograms observe them). */
export interface FlushTiming {
  queue: string
  /** Items the transaction committed. */
  items: number
  /** The commit, from starting the transaction to its answer. */
  flushMs: number
  /** How long the oldest of its items waited in the queue before the flush started. */
  waitMs: number
}

/**
 * Commits the items of one flush, in one transaction it opens itself. Synchronous, or a promise that
 * settles once the transaction committed (or failed: then nothing of it may be committed).
 */
export type CommitFn<T> = (items: T[]) => void | Promise<void>

type Step = void | Promise<void>

/** Runs the steps one after the other; synchronously as long as they are synchronous. */
function sequence(steps: (() => Step)[], from = 0): Step {
  for (let i = from; i < steps.length; i++) {
    const r = steps[i]!()
    if (r) return r.then(() => sequence(steps, i + 1))
  }
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)))

export class GroupCommitQueue<T> {
  private groups: Group<T>[] = []
  /** Items not yet committed (waiting and in flight): what the bound counts. */
  private pendingItems = 0
  private inFlightItems = 0
  /** The flush in flight (asynchronous commits), settled once its groups are. */
  private inFlight: Promise<void> | undefined
  private immediate: NodeJS.Immediate | undefined
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private readonly s: Omit<
    QueueStats,
    'name' | 'pending' | 'inFlight' | 'maxPending' | 'maxWaitMs' | 'batchSize' | 'avgFlushMs'
  > = {
    enqueued: 0,
    committed: 0,
    flushes: 0,
    rejectedFull: 0,
    failedGroups: 0,
    lastBatchItems: 0,
    maxBatchItems: 0,
    lastFlushMs: 0,
    maxFlushMs: 0,
    lastWaitMs: 0,
  }
  private totalFlushMs = 0
  private readonly flushListeners = new Set<(timing: FlushTiming) => void>()

  constructor(
    readonly name: string,
    private readonly config: QueueConfig,
    private readonly commit: CommitFn<T>,
    private readonly hooks: { onFull?: (queue: string) => void; onError?: (err: unknown) => void } = {},
  ) {}

  /** Calls `listener` after each committed flush; returns the unsubscribe function. */
  onFlush(listener: (timing: FlushTiming) => void): () => void {
    this.flushListeners.add(listener)
    return () => this.flushListeners.delete(listener)
  }

  get pending(): number {
    return this.pendingItems
  }

  /** Would `count` more items fit? Lets a caller refuse early, before doing any work. */
  hasRoom(count = 1): boolean {
    return !this.closed && this.pendingItems + count <= this.config.maxPending
  }

  /** Queues a group of items; resolves once they are committed, rejects if their transaction failed. */
  enqueue(items: T[]): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosedError(this.name))
    if (this.pendingItems + items.length > this.config.maxPending) {
      this.s.rejectedFull++
      this.hooks.onFull?.(this.name)
      const retry = Math.max(1, Math.ceil(this.config.maxWaitMs / 1000))
      return Promise.reject(new QueueFullError(this.name, retry))
    }
    if (items.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      this.groups.push({ items, at: performance.now(), resolve, reject })
      this.pendingItems += items.length
      this.s.enqueued += items.length
      this.schedule()
    })
  }

  private schedule(): void {
    // A flush in flight starts the next one when it completes: nothing to schedule.
    if (this.inFlight) return
    // Commit on this turn's check phase, whatever the batch size: group commit, not a fixed delay.
    this.immediate ??= setImmediate(() => this.flush())
    // Upper bound on the wait, should the event loop be held up by other work.
    this.timer ??= setTimeout(() => this.flush(), this.config.maxWaitMs)
  }

  /**
   * Commits what is pending now, in transactions of at most `batchSize` items (groups kept whole). With a
   * synchronous commit everything is committed when this returns; with an asynchronous one the first
   * transaction is started (unless one is in flight) and the rest follow as each completes.
   */
  flush(): void {
    if (this.immediate) clearImmediate(this.immediate)
    if (this.timer) clearTimeout(this.timer)
    this.immediate = undefined
    this.timer = undefined
    while (!this.inFlight && this.groups.length > 0) {
      const take: Group<T>[] = []
      let n = 0
      while (
        this.groups.length > 0 &&
        (n === 0 || n + this.groups[0]!.items.length <= this.config.batchSize)
      ) {
        const g = this.groups.shift()!
        take.push(g)
        n += g.items.length
      }
      const done = this.commitGroups(take, n)
      if (done) {
        this.inFlightItems = n
        this.inFlight = done.then(() => {
          this.inFlight = undefined
          this.inFlightItems = 0
          // What accumulated meanwhile goes now: the writer is free.
          this.flush()
        })
      }
    }
  }

  /** Commits one batch; returns a promise when the commit is asynchronous. Never rejects. */
  private commitGroups(groups: Group<T>[], n: number): Step {
    const started = performance.now()
    const items = groups.length === 1 ? groups[0]!.items : groups.flatMap((g) => g.items)
    let r: void | Promise<void>
    try {
      r = this.commit(items)
    } catch (err) {
      return this.failed(groups, err)
    }
    if (!r) return this.committed(groups, n, started)
    return r.then(
      () => this.committed(groups, n, started),
      (err: unknown) => this.failed(groups, err),
    )
  }

  private committed(groups: Group<T>[], n: number, started: number): void {
    const ms = performance.now() - started
    this.pendingItems -= n
    this.s.committed += n
    this.s.flushes++
    this.s.lastBatchItems = n
    this.s.maxBatchItems = Math.max(this.s.maxBatchItems, n)
    this.s.lastFlushMs = ms
    this.s.maxFlushMs = Math.max(this.s.maxFlushMs, ms)
    this.s.lastWaitMs = started - groups[0]!.at
    this.totalFlushMs += ms
    for (const g of groups) g.resolve()
    for (const l of this.flushListeners) {
      try {
        l({ queue: this.name, items: n, flushMs: ms, waitMs: this.s.lastWaitMs })
      } catch {
        // An observer (metrics) never fails a commit.
      }
    }
  }

  private failed(groups: Group<T>[], err: unknown): Step {
    // A storage fault (disk full, read-only, damaged) is logged by the storage monitor, aggregated.
    const storage = err instanceof StorageFault
    if (!(storage && err.reported)) this.hooks.onError?.(err)
    // One bad group must not fail the others that rode along: retry each in its own transaction. A
    // storage fault is no group's fault: each would fail the same way, so all fail at once.
    if (groups.length > 1 && !storage) {
      return sequence(groups.map((g) => () => this.commitGroups([g], g.items.length)))
    }
    for (const g of groups) {
      this.pendingItems -= g.items.length
      this.s.failedGroups++
      g.reject(asError(err))
    }
  }

  /** Resolves once everything enqueued so far has been committed (or has failed). */
  async drain(): Promise<void> {
    this.flush()
    while (this.inFlight) await this.inFlight
  }

  /** Stops accepting writes and commits what is pending (synchronous commits: before this returns). */
  close(): Promise<void> {
    this.closed = true
    return this.drain()
  }

  stats(): QueueStats {
    return {
      name: this.name,
      pending: this.pendingItems,
      inFlight: this.inFlightItems,
      maxPending: this.config.maxPending,
      maxWaitMs: this.config.maxWaitMs,
      batchSize: this.config.batchSize,
      avgFlushMs: this.s.flushes ? this.totalFlushMs / this.s.flushes : 0,
      ...this.s,
    }
  }
}
