import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWriter, databasePath, type Db } from './open'
import { InlineReadPool, PoolClosedError, WorkerReadPool, type ReadPool } from './read-pool'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

function seed(db: Db, n: number) {
  const now = Date.now()
  db.prepare("INSERT INTO devices (id, name, created_at, updated_at) VALUES ('d1', 'd1', ?, ?)").run(now, now)
  db.prepare("INSERT INTO sensors (id, device_id, name) VALUES (1, 'd1', 'temp')").run()
  const ins = db.prepare('INSERT INTO readings (sensor_id, ts, value) VALUES (1, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(1000 + i * 10, i % 7)
  })()
}

async function withPool(kind: 'workers' | 'inline'): Promise<{ db: Db; pool: ReadPool }> {
  if (kind === 'inline') {
    const db = openWriter({ dataDir: undefined, synchronous: 'NORMAL' })
    const pool = new InlineReadPool(db)
    cleanup.push(async () => {
      await pool.close()
      db.close()
    })
    return { db, pool }
  }
  const dir = mkdtempSync(join(tmpdir(), 'pool-test-'))
  const db = openWriter({ dataDir: dir, synchronous: 'NORMAL' })
  const pool = new WorkerReadPool(databasePath(dir), 2)
  cleanup.push(async () => {
    await pool.close()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { db, pool }
}

describe.each(['workers', 'inline'] as const)('read pool (%s)', (kind) => {
  it('runs named queries and sees rows committed by the writer', async () => {
    const { db, pool } = await withPool(kind)
    seed(db, 1000)
    const range = { sensorId: 1, from: 0, to: 1_000_000 }
    const count = await pool.run<{ total: number }>('readings.count', range)
    expect(count.total).toBe(1000)
    const rows = await pool.run<{ ts: number; value: number }[]>('readings.range', {
      ...range,
      limit: 5,
      offset: 0,
    })
    expect(rows.map((r) => r.ts)).toEqual([10990, 10980, 10970, 10960, 10950])
    const buckets = await pool.run<{ count: number; min: number; max: number }[]>('readings.buckets', {
      ...range,
      bucket: 1000,
      limit: 100,
    })
    expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(1000)
    expect(buckets[0]).toMatchObject({ count: 100, min: 0, max: 6 })
    expect(pool.stats()).toMatchObject({ readsServed: 3, readsFailed: 0 })
  })

  it('reports a failing query to its caller only', async () => {
    const { pool } = await withPool(kind)
    await expect(pool.run('readings.count', { sensorId: 1 })).rejects.toThrow()
    await expect(
      pool.run<{ total: number }>('readings.count', { sensorId: 1, from: 0, to: 1 }),
    ).resolves.toEqual({
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

describe('worker read pool', () => {
  it('runs reads in parallel on separate threads', async () => {
    const { db, pool } = await withPool('workers')
    seed(db, 20_000)
    const range = { sensorId: 1, from: 0, to: 10_000_000, bucket: 100, limit: 100_000 }
    const results = await Promise.all([1, 2, 3, 4].map(() => pool.run<unknown[]>('readings.buckets', range)))
    for (const r of results) expect(r).toHaveLength(2000)
    const s = pool.stats()
    expect(s).toMatchObject({ mode: 'workers', size: 2, readsServed: 4, inUse: 0, available: 2, queued: 0 })
  })
})
