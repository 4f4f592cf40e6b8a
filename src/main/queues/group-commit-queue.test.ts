import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { GroupCommitQueue, QueueClosedError, QueueFullError } from './group-commit-queue'

function setup(opts: { maxPending?: number; batchSize?: number; maxWaitMs?: number } = {}) {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  const commits: number[] = []
  const commit = db.transaction((items: number[]) => {
    for (const v of items) insert.run(v)
    commits.push(items.length)
  })
  const queue = new GroupCommitQueue<number>(
    'test',
    {
      maxWaitMs: opts.maxWaitMs ?? 200,
      batchSize: opts.batchSize ?? 1000,
      maxPending: opts.maxPending ?? 10_000,
    },
    commit,
  )
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n
  return { db, queue, commits, count }
}

describe('GroupCommitQueue', () => {
  it('resolves only after the items are committed', async () => {
    const { queue, count } = setup()
    const p = queue.enqueue([1, 2, 3])
    expect(count()).toBe(0)
    await p
    expect(count()).toBe(3)
  })

  it('commits groups that arrive in the same turn in one transaction, without waiting the interval', async () => {
    const { queue, commits, count } = setup({ maxWaitMs: 60_000 })
    await Promise.all([queue.enqueue([1]), queue.enqueue([2, 3]), queue.enqueue([4])])
    expect(commits).toEqual([4])
    expect(count()).toBe(4)
    expect(queue.stats()).toMatchObject({ flushes: 1, committed: 4, lastBatchItems: 4, pending: 0 })
  })

  it('splits a flush into transactions of at most batchSize items, keeping groups whole', async () => {
    const { queue, commits } = setup({ batchSize: 3 })
    await Promise.all([queue.enqueue([1, 2]), queue.enqueue([3, 4]), queue.enqueue([5])])
    expect(commits).toEqual([2, 3])
  })

  it('fails only the bad group when a shared transaction fails', async () => {
    const { queue, count } = setup()
    const good1 = queue.enqueue([1, 2])
    const bad = queue.enqueue([3, -1])
    const good2 = queue.enqueue([4])
    await expect(good1).resolves.toBeUndefined()
    await expect(bad).rejects.toThrow(/CHECK constraint/)
    await expect(good2).resolves.toBeUndefined()
    expect(count()).toBe(3)
    expect(queue.stats().failedGroups).toBe(1)
  })

  it('refuses work past its bound instead of growing', async () => {
    const { queue, count } = setup({ maxPending: 5 })
    const ok = queue.enqueue([1, 2, 3, 4])
    await expect(queue.enqueue([5, 6])).rejects.toBeInstanceOf(QueueFullError)
    expect(queue.hasRoom(1)).toBe(true)
    expect(queue.hasRoom(2)).toBe(false)
    await ok
    expect(count()).toBe(4)
    expect(queue.stats().rejectedFull).toBe(1)
    await expect(queue.enqueue([5, 6])).resolves.toBeUndefined()
  })

  it('flushes pending writes on close and refuses new ones afterwards', async () => {
    const { queue, count } = setup({ maxWaitMs: 60_000 })
    const p = queue.enqueue([1, 2])
    queue.close()
    expect(count()).toBe(2)
    await p
    await expect(queue.enqueue([3])).rejects.toBeInstanceOf(QueueClosedError)
  })
})

/** A queue whose commits are asynchronous (like the writer thread's): each stays in flight until released. */
function asyncSetup(opts: { maxPending?: number; batchSize?: number } = {}) {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  const tx = db.transaction((items: number[]) => {
    for (const v of items) insert.run(v)
  })
  const calls: number[][] = []
  const waiting: (() => void)[] = []
  let inFlight = 0
  let maxInFlight = 0
  const commit = async (items: number[]) => {
    calls.push(items)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    try {
      await new Promise<void>((resolve) => waiting.push(resolve))
      tx(items)
    } finally {
      inFlight--
    }
  }
  const queue = new GroupCommitQueue<number>(
    'async-test',
    { maxWaitMs: 60_000, batchSize: opts.batchSize ?? 1000, maxPending: opts.maxPending ?? 10_000 },
    commit,
  )
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n
  /** Lets the oldest commit in flight go on, once it has started. */
  const release = async () => {
    await waitFor(() => waiting.length > 0)
    waiting.shift()!()
  }
  return { queue, calls, count, release, maxInFlight: () => maxInFlight }
}

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setImmediate(r))
  }
}

describe('GroupCommitQueue with asynchronous commits', () => {
  it('keeps one flush in flight; what arrives meanwhile rides in the next, which starts when it completes', async () => {
    const { queue, calls, count, release, maxInFlight } = asyncSetup()
    const settled: string[] = []
    const a = queue.enqueue([1]).then(() => settled.push('a'))
    await waitFor(() => calls.length === 1)
    const b = queue.enqueue([2, 3]).then(() => settled.push('b'))
    const c = queue.enqueue([4]).then(() => settled.push('c'))
    // Waiting behind the flush in flight, not started alongside it.
    await new Promise((r) => setTimeout(r, 20))
    expect(calls).toEqual([[1]])
    expect(queue.stats()).toMatchObject({ pending: 4, inFlight: 1 })
    expect(settled).toEqual([])

    await release()
    await a
    expect(count()).toBe(1)
    // The next flush started as soon as the first completed, with everything that accumulated.
    await waitFor(() => calls.length === 2)
    expect(calls[1]).toEqual([2, 3, 4])
    expect(settled).toEqual(['a'])
    await release()
    await Promise.all([b, c])
    expect(count()).toBe(4)
    expect(maxInFlight()).toBe(1)
    expect(queue.stats()).toMatchObject({ flushes: 2, committed: 4, pending: 0, inFlight: 0 })
  })

  it('counts items in flight against the bound', async () => {
    const { queue, calls, release } = asyncSetup({ maxPending: 3 })
    const first = queue.enqueue([1, 2])
    await waitFor(() => calls.length === 1)
    expect(queue.hasRoom(1)).toBe(true)
    expect(queue.hasRoom(2)).toBe(false)
    await expect(queue.enqueue([3, 4])).rejects.toBeInstanceOf(QueueFullError)
    await release()
    await first
    expect(queue.hasRoom(3)).toBe(true)
  })

  it('fails only the bad group when a shared asynchronous transaction fails', async () => {
    const { queue, calls, count, release } = asyncSetup()
    const blocker = queue.enqueue([0])
    await waitFor(() => calls.length === 1)
    const good1 = queue.enqueue([1, 2])
    // Settled while the test releases the commits one by one: caught at once.
    const bad = queue.enqueue([3, -1]).then(
      () => undefined,
      (err: unknown) => err,
    )
    const good2 = queue.enqueue([4])
    await release() // the blocker
    await blocker
    await release() // the shared flush: fails on -1, rolled back
    // Each group retried in its own transaction, one at a time.
    for (let i = 0; i < 3; i++) await release()
    await expect(good1).resolves.toBeUndefined()
    expect(String(await bad)).toMatch(/CHECK constraint/)
    await expect(good2).resolves.toBeUndefined()
    expect(calls.slice(1)).toEqual([[1, 2, 3, -1, 4], [1, 2], [3, -1], [4]])
    expect(count()).toBe(4)
    expect(queue.stats()).toMatchObject({ failedGroups: 1, pending: 0 })
  })

  it('close() waits for the flush in flight, commits the rest, then refuses new writes', async () => {
    const { queue, calls, count, release } = asyncSetup({ batchSize: 2 })
    const p1 = queue.enqueue([1])
    await waitFor(() => calls.length === 1)
    const p2 = queue.enqueue([2, 3])
    const p3 = queue.enqueue([4])
    let closed = false
    const closing = queue.close().then(() => (closed = true))
    await expect(queue.enqueue([5])).rejects.toBeInstanceOf(QueueClosedError)
    await release()
    await release()
    expect(closed).toBe(false)
    await release()
    await closing
    await Promise.all([p1, p2, p3])
    expect(calls).toEqual([[1], [2, 3], [4]])
    expect(count()).toBe(4)
  })
})
