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
    { maxWaitMs: opts.maxWaitMs ?? 200, batchSize: opts.batchSize ?? 1000, maxPending: opts.maxPending ?? 10_000 },
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
