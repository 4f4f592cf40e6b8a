import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databasePath, openWriter, type Db } from './open'
import { InlineWriter, resolveWriterWorker, WorkerWriter, WriterClosedError, WriterError } from './writer'
import { encodeReadings } from '../devices/readings-batch'
import type { EventDraft } from '../events/events-repository'

const draft = (message: string): EventDraft => ({
  ts: Date.now(),
  type: 'device.offline',
  severity: 'warning',
  sourceKind: 'device',
  sourceId: 'd1',
  message,
})

describe('WorkerWriter (the writer thread)', () => {
  let dir: string
  let db: Db
  let writer: WorkerWriter | undefined

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'writer-thread-'))
    // Migrations run on the main connection; the writer thread opens the migrated file.
    db = openWriter({ dataDir: dir, synchronous: 'FULL' })
    writer = await WorkerWriter.start({ dbPath: databasePath(dir), synchronous: 'FULL' })
  })
  afterEach(async () => {
    await writer?.close()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs named operations on its own connection; the main connection sees each commit', async () => {
    const ids = await writer!.run('events.insert', [draft('one'), draft('two')])
    expect(ids).toHaveLength(2)
    expect(db.prepare('SELECT id, message FROM events ORDER BY id').all()).toEqual([
      { id: ids[0], message: 'one' },
      { id: ids[1], message: 'two' },
    ])

    const { batch, transfer } = encodeReadings([
      { deviceId: 'd1', sensor: 'temp', value: 20.5, unit: 'C', ts: 1000 },
      { deviceId: 'd1', sensor: 'temp', value: 21.5, ts: 2000 },
    ])
    const summary = await writer!.run('readings.write', batch, transfer)
    expect(summary).toEqual({
      readings: 2,
      newDevices: ['d1'],
      latest: [{ deviceId: 'd1', sensor: 'temp', value: 21.5, unit: 'C', ts: 2000 }],
    })
    expect(db.prepare('SELECT count(*) AS n FROM readings').get()).toEqual({ n: 2 })
    expect(writer!.stats()).toMatchObject({ mode: 'worker', ops: 2, failed: 0, inFlight: 0 })
  })

  it("rejects with SQLite's error when an operation fails, and rolls it back whole", async () => {
    const now = Date.now()
    const orphan = {
      id: 'r1',
      deviceId: 'no-such-device',
      action: 'on' as const,
      durationMs: null,
      pattern: null,
      status: 'queued' as const,
      requestedBy: null,
      error: null,
      createdAt: now,
      sentAt: null,
      acknowledgedAt: null,
      expiresAt: now + 1000,
      updatedAt: now,
    }
    const err = await writer!.run('buzzers.save', [orphan]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WriterError)
    expect(err).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
    expect(db.prepare('SELECT count(*) AS n FROM buzzer_requests').get()).toEqual({ n: 0 })
    // The writer goes on serving.
    await expect(writer!.run('events.insert', [draft('after')])).resolves.toHaveLength(1)
    expect(writer!.stats()).toMatchObject({ ops: 1, failed: 1 })
  })

  it('shares the database with the main connection’s own writes without deadlock', async () => {
    const insertArea = db.prepare('INSERT INTO areas (name, created_at, updated_at) VALUES (?, ?, ?)')
    const batches: Promise<number[]>[] = []
    for (let i = 0; i < 50; i++) {
      batches.push(
        writer!.run(
          'events.insert',
          Array.from({ length: 200 }, (_, j) => draft(`${i}/${j}`)),
        ),
      )
      // The main connection writes while the writer thread holds or wants the write lock.
      insertArea.run(`area ${i}`, Date.now(), Date.now())
    }
    await Promise.all(batches)
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 50 * 200 })
    expect(db.prepare('SELECT count(*) AS n FROM areas').get()).toEqual({ n: 50 })
  })

  it('close() lets operations in flight finish, then refuses new ones', async () => {
    const pending = writer!.run('events.insert', [draft('last')])
    await writer!.close()
    await expect(pending).resolves.toHaveLength(1)
    await expect(writer!.run('events.insert', [draft('late')])).rejects.toBeInstanceOf(WriterClosedError)
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 })
    writer = undefined
  })

  it('fails what a dead writer thread had in flight, and starts a new one for the next write', async () => {
    const thread = (writer as unknown as { worker: { terminate(): Promise<number> } }).worker
    // A long transaction, certainly still running (or not yet started) when the thread dies.
    const big = Array.from({ length: 100_000 }, (_, i) => draft(`big ${i}`))
    const lost = writer!.run('events.insert', big).catch((e: unknown) => e)
    const lost2 = writer!.run('events.insert', [draft('maybe')]).catch((e: unknown) => e)
    await thread.terminate()
    expect(await lost).toBeInstanceOf(Error)
    expect(await lost2).toBeInstanceOf(Error)
    // Nothing of the interrupted transaction was committed; the write lock died with the thread.
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 })
    await expect(writer!.run('events.insert', [draft('after restart')])).resolves.toHaveLength(1)
    expect(writer!.stats().restarts).toBe(1)
    expect(db.prepare("SELECT count(*) AS n FROM events WHERE message = 'after restart'").get()).toEqual({
      n: 1,
    })
  })
})

describe('writer without a thread', () => {
  it('InlineWriter runs the same operations on an in-memory connection (USEDB=false)', async () => {
    const db = openWriter({ dataDir: undefined, synchronous: 'FULL' })
    const writer = new InlineWriter(db)
    const ids = await writer.run('events.insert', [draft('inline')])
    expect(db.prepare('SELECT message FROM events WHERE id = ?').get(ids[0])).toEqual({ message: 'inline' })
    await expect(writer.run('devices.delete', 'nobody')).resolves.toBe(false)
    expect(writer.stats()).toMatchObject({ mode: 'inline', ops: 2 })
    await writer.close()
    await expect(writer.run('events.insert', [draft('x')])).rejects.toBeInstanceOf(WriterClosedError)
    db.close()
  })

  it('names the missing worker file clearly', () => {
    expect(() => resolveWriterWorker('/nonexistent/writer-worker.js')).toThrow(
      /writer worker .* does not exist/,
    )
    expect(resolveWriterWorker().file).toMatch(/writer-worker\.ts$/)
  })

  it('refuses to start on a database file that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-missing-'))
    try {
      await expect(WorkerWriter.start({ dbPath: join(dir, 'none.db'), synchronous: 'FULL' })).rejects.toThrow(
        /writer thread/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
