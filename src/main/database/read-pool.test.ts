import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { openWriter, databasePath, type Db } from './open'
import {
  InlineReadPool,
  PoolClosedError,
  ReadPoolError,
  WorkerReadPool,
  restartDelay,
  type ReadPool,
  type ReadPoolLog,
  type WorkerReadPoolOptions,
} from './read-pool'
import { INTERRUPT_POINT, READ_QUERIES, one } from './read-queries'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

/** The station's catalogue plus a query that counts to @n: as long-running as a test needs. */
const TEST_QUERIES = {
  ...READ_QUERIES,
  'test.spin': one<{ n: number }, { n: number }>(
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < @n AND ${INTERRUPT_POINT})
     SELECT count(*) AS n FROM c`,
  ),
}
/** Counting this far takes SQLite minutes: only an interrupt point ends it early. */
const FOREVER = 1e12

const silent: ReadPoolLog = { error() {}, warn() {}, info() {}, debug() {} }

interface LogLine {
  level: keyof ReadPoolLog
  msg: string
  fields: Record<string, unknown>
  at: number
}
function recordingLog(): { log: ReadPoolLog; lines: LogLine[] } {
  const lines: LogLine[] = []
  const at =
    (level: keyof ReadPoolLog) =>
    (fields: object, msg: string): void => {
      lines.push({ level, msg, fields: fields as Record<string, unknown>, at: performance.now() })
    }
  return { lines, log: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } }
}

async function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** The thread behind a slot (a look inside, as writer.test.ts does for the writer thread). */
function threadOf(pool: object, slot = 0): Worker {
  const worker = (pool as unknown as { slots: { worker: Worker | undefined }[] }).slots[slot]?.worker
  if (!worker) throw new Error(`slot ${slot} has no worker`)
  return worker
}

const exited = (worker: Worker) => new Promise<number>((resolve) => worker.once('exit', resolve))

function seed(db: Db, n: number) {
  const now = Date.now()
  db.prepare("INSERT INTO devices (id, name, created_at, updated_at) VALUES ('d1', 'd1', ?, ?)").run(now, now)
  db.prepare("INSERT INTO sensors (id, device_id, name) VALUES (1, 'd1', 'temp')").run()
  const ins = db.prepare('INSERT INTO readings (sensor_id, ts, value) VALUES (1, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(1000 + i * 10, i % 7)
  })()
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pool-test-'))
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function workerPool(
  dir: string,
  opts: Partial<WorkerReadPoolOptions<typeof TEST_QUERIES>> = {},
): WorkerReadPool<typeof TEST_QUERIES> {
  const pool = new WorkerReadPool({
    dbPath: databasePath(dir),
    size: 2,
    queries: TEST_QUERIES,
    timeoutMs: 15_000,
    log: silent,
    ...opts,
  })
  cleanup.push(() => pool.close())
  return pool
}

async function withPool(kind: 'workers' | 'inline'): Promise<{ db: Db; pool: ReadPool }> {
  if (kind === 'inline') {
    const db = openWriter({ dataDir: undefined, synchronous: 'NORMAL' })
    const pool = new InlineReadPool(db, READ_QUERIES)
    cleanup.push(async () => {
      await pool.close()
      db.close()
    })
    return { db, pool }
  }
  const dir = tempDir()
  const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
  cleanup.push(async () => void db.close())
  return { db, pool: workerPool(dir) }
}

describe.each(['workers', 'inline'] as const)('read pool (%s)', (kind) => {
  it('runs named queries and sees rows committed by the writer', async () => {
    const { db, pool } = await withPool(kind)
    seed(db, 1000)
    const range = { sensorId: 1, from: 0, to: 1_000_000 }
    const count = await pool.run('readings.count', range)
    expect(count.total).toBe(1000)
    const rows = await pool.run('readings.range', { ...range, limit: 5, offset: 0 })
    expect(rows.map((r) => r.ts)).toEqual([10990, 10980, 10970, 10960, 10950])
    const buckets = await pool.run('readings.buckets', { ...range, bucket: 1000, limit: 100 })
    expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(1000)
    expect(buckets[0]).toMatchObject({ count: 100, min: 0, max: 6 })
    expect(pool.stats()).toMatchObject({ readsServed: 3, readsFailed: 0 })
  })

  it('reports a failing query to its caller only', async () => {
    const { pool } = await withPool(kind)
    // @ts-expect-error from and to are missing: the type check refuses it, and so does SQLite.
    await expect(pool.run('readings.count', { sensorId: 1 })).rejects.toThrow(/named parameter/)
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1 })).resolves.toEqual({
      total: 0,
    })
  })

  it('refuses work once closed', async () => {
    const { pool } = await withPool(kind)
    await pool.close()
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1 })).rejects.toBeInstanceOf(
      PoolClosedError,
    )
  })
})

describe('read queries', () => {
  it('infer their parameters and result from the name', () => {
    const pool = {} as ReadPool
    expectTypeOf(pool.run<'readings.count'>)
      .parameter(1)
      .toEqualTypeOf<{ sensorId: number; from: number; to: number }>()
    expectTypeOf(pool.run<'readings.count'>).returns.resolves.toEqualTypeOf<{ total: number }>()
    expectTypeOf(pool.run<'events.list'>).returns.resolves.items.toHaveProperty('ackNote')
  })

  it('all have an interrupt point, so a stopped worker stops at once', () => {
    for (const [name, q] of Object.entries(READ_QUERIES)) expect(q.sql, name).toContain(INTERRUPT_POINT)
    // One row in 1024 by key, or every row: either way a scan reaches it.
  })

  it('restart delays: none after one death, then doubling up to the bound', () => {
    const b = { initialMs: 100, maxMs: 1000 }
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, b))).toEqual([0, 100, 200, 400, 800, 1000, 1000])
  })
})

describe('worker read pool', () => {
  it('runs reads in parallel on separate threads', async () => {
    const { db, pool } = await withPool('workers')
    seed(db, 20_000)
    await waitFor(() => pool.stats().available === 2, 'both workers are ready')
    const range = { sensorId: 1, from: 0, to: 10_000_000, bucket: 100, limit: 100_000 }
    const results = await Promise.all([1, 2, 3, 4].map(() => pool.run('readings.buckets', range)))
    for (const r of results) expect(r).toHaveLength(2000)
    const s = pool.stats()
    expect(s).toMatchObject({ mode: 'workers', size: 2, readsServed: 4, inUse: 0, available: 2, queued: 0 })
  })

  it('fails the query of a worker killed mid-query with a clear error, and serves the next ones', async () => {
    const dir = tempDir()
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    cleanup.push(async () => void db.close())
    seed(db, 100)
    const pool = workerPool(dir, { size: 1 })
    await waitFor(() => pool.stats().available === 1, 'the worker is ready')

    const lost = pool.run('test.spin', { n: FOREVER }).catch((e: unknown) => e)
    expect(pool.stats().inUse).toBe(1)
    await threadOf(pool).terminate()

    const err = await lost
    expect(err).toBeInstanceOf(ReadPoolError)
    expect(err).toMatchObject({ statusCode: 503, code: 'READ_WORKER_DIED', retryAfterSeconds: 1 })
    expect((err as Error).message).toMatch(/read worker running test\.spin stopped unexpectedly; try again/)
    // A new worker took the slot at once; the next reads are served.
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1e9 })).resolves.toEqual({
      total: 100,
    })
    await expect(pool.run('test.spin', { n: 1000 })).resolves.toEqual({ n: 1000 })
    expect(pool.stats()).toMatchObject({
      restarts: 1,
      readsFailed: 1,
      readsServed: 2,
      inUse: 0,
      available: 1,
    })
  })

  it('times out a runaway query, stops its thread, and keeps serving', async () => {
    const dir = tempDir()
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    cleanup.push(async () => void db.close())
    seed(db, 100)
    const { log, lines } = recordingLog()
    const pool = workerPool(dir, { size: 1, timeoutMs: 300, log })
    await waitFor(() => pool.stats().available === 1, 'the worker is ready')

    const runaway = pool.run('test.spin', { n: FOREVER }).catch((e: unknown) => e)
    const thread = threadOf(pool)
    const threadGone = exited(thread)
    // Queued behind the runaway: it waits at most the timeout for a worker.
    const queued = pool.run('readings.count', { sensorId: 1, from: 0, to: 1e9 }).catch((e: unknown) => e)

    const err = await runaway
    expect(err).toMatchObject({ statusCode: 504, code: 'READ_TIMEOUT' })
    expect((err as Error).message).toMatch(/The read test\.spin took longer than 300 ms and was stopped/)
    expect(await queued).toMatchObject({ statusCode: 503, code: 'OVERLOADED', retryAfterSeconds: 1 })

    // The thread really stopped: SQLite aborted the statement at its next interrupt point.
    await threadGone
    // A new worker took the slot at once; once it is up it serves the next reads.
    await waitFor(() => pool.stats().available === 1, 'the new worker is ready')
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1e9 })).resolves.toEqual({
      total: 100,
    })
    expect(pool.stats()).toMatchObject({ readsTimedOut: 1, restarts: 1, readsFailed: 2, readsServed: 1 })
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'read ran past the read timeout; its worker was stopped',
      'a read waited too long for a read worker',
    ])
    expect(lines.find((l) => l.msg.startsWith('read ran past'))?.fields).toMatchObject({
      query: 'test.spin',
      timeoutMs: 300,
      count: 1,
    })
  })

  it('restarts a worker that dies at start with a growing delay, fails reads at once meanwhile, and recovers', async () => {
    const dir = tempDir()
    // No database file yet: every worker dies opening it.
    const { log, lines } = recordingLog()
    const pool = workerPool(dir, { size: 1, log, backoff: { initialMs: 20, maxMs: 80 } })

    const first = await pool.run('readings.count', { sensorId: 1, from: 0, to: 1 }).catch((e: unknown) => e)
    expect(first).toMatchObject({ statusCode: 503, code: 'READ_POOL_DOWN', retryAfterSeconds: 5 })
    expect((first as Error).message).toMatch(/^The read workers cannot start: /)
    // While down, reads fail at once instead of waiting for the timeout.
    const started = performance.now()
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1 })).rejects.toMatchObject({
      code: 'READ_POOL_DOWN',
    })
    expect(performance.now() - started).toBeLessThan(100)

    const scheduled = () => lines.filter((l) => l.msg === 'read worker restart scheduled')
    await waitFor(() => scheduled().length >= 6, 'six failed starts')
    const attempts = scheduled().slice(0, 6)
    expect(attempts.map((l) => l.fields.delayMs)).toEqual([0, 20, 40, 80, 80, 80])
    // Each start came no sooner than its delay after the previous failure: no spinning.
    for (let i = 1; i < attempts.length; i++) {
      expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(
        (attempts[i - 1]!.fields.delayMs as number) - 2,
      )
    }
    // Logged once, not once per failure; the next line (10 s on) carries the count.
    const errors = lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      msg: 'read worker failed to start; retrying',
      fields: { count: 1, slot: 1 },
    })

    // The database appears: the next start succeeds and reads are served again.
    const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
    cleanup.push(async () => void db.close())
    await waitFor(() => pool.stats().available === 1, 'a worker started')
    await expect(pool.run('readings.count', { sensorId: 1, from: 0, to: 1 })).resolves.toEqual({ total: 0 })
    expect(lines.some((l) => l.level === 'info' && l.msg === 'read worker started after failed starts')).toBe(
      true,
    )
  })
})
