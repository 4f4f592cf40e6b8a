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
 * Past `maxPending` items the queue refuses new work (QueueFullError → 503 + Retry-After) instead of
 * growing memory.
 */
import type { QueueConfig } from '../config'

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
  resolve: () => void
  reject: (err: Error) => void
}

export interface QueueStats {
  name: string
  pending: number
  maxPending: number
  maxWaitMs: number
  batchSize: number
  enqueued: number
  committed: number
  flushes: number
  rejectedFull: number
  failedGroups: number
  lastBatchItems: number
  maxBatchItems: number
  lastFlushMs: number
  avgFlushMs: number
  maxFlushMs: number
  /** Longest time a committed item waited in the queue during the last flush. */
  lastWaitMs: number
}

/** Commits the items of one flush; called inside no transaction: the callback opens its own. */
export type CommitFn<T> = (items: T[]) => void

export class GroupCommitQueue<T> {
  private groups: Group<T>[] = []
  private pendingItems = 0
  private oldestEnqueuedAt = 0
  private immediate: NodeJS.Immediate | undefined
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private readonly s: Omit<
    QueueStats,
    'name' | 'pending' | 'maxPending' | 'maxWaitMs' | 'batchSize' | 'avgFlushMs'
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

  constructor(
    readonly name: string,
    private readonly config: QueueConfig,
    private readonly commit: CommitFn<T>,
    private readonly hooks: { onFull?: (queue: string) => void; onError?: (err: unknown) => void } = {},
  ) {}

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
      if (this.pendingItems === 0) this.oldestEnqueuedAt = performance.now()
      this.groups.push({ items, resolve, reject })
      this.pendingItems += items.length
      this.s.enqueued += items.length
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.pendingItems >= this.config.batchSize) {
      // A full batch: commit on this turn's check phase, no later.
      this.immediate ??= setImmediate(() => this.flush())
      return
    }
    this.immediate ??= setImmediate(() => this.flush())
    // Upper bound on the wait, should the writer be held up by other work.
    this.timer ??= setTimeout(() => this.flush(), this.config.maxWaitMs)
  }

  /** Commits everything pending now, in transactions of at most `batchSize` items. Synchronous. */
  flush(): void {
    if (this.immediate) clearImmediate(this.immediate)
    if (this.timer) clearTimeout(this.timer)
    this.immediate = undefined
    this.timer = undefined
    while (this.groups.length > 0) {
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
      this.pendingItems -= n
      this.commitGroups(take, n)
    }
    this.oldestEnqueuedAt = 0
  }

  private commitGroups(groups: Group<T>[], n: number): void {
    const started = performance.now()
    const items = groups.length === 1 ? groups[0]!.items : groups.flatMap((g) => g.items)
    try {
      this.commit(items)
      for (const g of groups) g.resolve()
      this.s.committed += n
    } catch (err) {
      this.hooks.onError?.(err)
      if (groups.length === 1) {
        this.s.failedGroups++
        groups[0]!.reject(err instanceof Error ? err : new Error(String(err)))
      } else {
        // One bad group must not fail the others that rode along: retry each in its own transaction.
        for (const g of groups) this.commitGroups([g], g.items.length)
        return
      }
    }
    const ms = performance.now() - started
    this.s.flushes++
    this.s.lastBatchItems = n
    this.s.maxBatchItems = Math.max(this.s.maxBatchItems, n)
    this.s.lastFlushMs = ms
    this.s.maxFlushMs = Math.max(this.s.maxFlushMs, ms)
    this.s.lastWaitMs = this.oldestEnqueuedAt ? started - this.oldestEnqueuedAt : 0
    this.totalFlushMs += ms
  }

  /** Stops accepting writes and commits what is pending. */
  close(): void {
    this.closed = true
    this.flush()
  }

  stats(): QueueStats {
    return {
      name: this.name,
      pending: this.pendingItems,
      maxPending: this.config.maxPending,
      maxWaitMs: this.config.maxWaitMs,
      batchSize: this.config.batchSize,
      avgFlushMs: this.s.flushes ? this.totalFlushMs / this.s.flushes : 0,
      ...this.s,
    }
  }
}
