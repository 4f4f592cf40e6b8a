/**
 * The SQLite main connection (migrations, point reads, rare writes), the writer thread (the write queues'
 * transactions), the read pool (worker threads), the change bus and the write-queue registry.
 */
import fp from 'fastify-plugin'
import { openWriter, databasePath } from '../../database/open'
import { InlineReadPool, WorkerReadPool, type ReadPool } from '../../database/read-pool'
import { StorageGuardedReads } from '../../database/storage-guarded-reads'
import { READ_QUERIES } from '../../database/read-queries'
import { InlineWriter, StorageGuardedWriter, WorkerWriter, type Writer } from '../../database/writer'
import { StorageMonitor } from '../../database/storage-monitor'
import { watchSpace } from '../../database/storage-space'
import { BACKUP_INTERVAL_MS, backupDatabase } from '../../database/backup'
import type { QueueRegistry } from '../../services'
import type { GroupCommitQueue } from '../../queues/group-commit-queue'
import type { Instruments } from '../../metrics/instruments'
import { DomainCacheRegistry } from '../../cache/domain-cache'

function createQueueRegistry(instruments: Instruments): QueueRegistry {
  const queues: GroupCommitQueue<unknown>[] = []
  // Fullness is observed from each queue's `rejectedFull` counter, so it works for every queue whoever
  // created it (and whatever hooks it was given). Checked every second while anyone listens.
  const fullListeners = new Set<(queue: string) => void>()
  const seenRejected = new Map<GroupCommitQueue<unknown>, number>()
  let fullTimer: NodeJS.Timeout | undefined
  const checkFull = () => {
    for (const q of queues) {
      const rejected = q.stats().rejectedFull
      if (rejected > (seenRejected.get(q) ?? 0)) for (const l of fullListeners) l(q.name)
      seenRejected.set(q, rejected)
    }
  }
  return {
    add: (q) => {
      queues.push(q as GroupCommitQueue<unknown>)
      instruments.queueRegistered(q.name)
      q.onFlush(instruments.flush)
      return q
    },
    stats: () => queues.map((q) => q.stats()),
    onFull: (listener) => {
      fullListeners.add(listener)
      if (!fullTimer) {
        fullTimer = setInterval(checkFull, 1000)
        fullTimer.unref()
      }
      return () => fullListeners.delete(listener)
    },
    closeAll: async () => {
      clearInterval(fullTimer)
      // Every queue stops taking writes at once; each then drains (its flush in flight, then the rest).
      await Promise.all(queues.map((q) => q.close()))
    },
  }
}

export default fp(
  async (app) => {
    const { config } = app
    const { instruments } = app.prometheus
    const dataDir = config.useDb ? config.dataDir : undefined
    const storage = new StorageMonitor(dataDir, app.log.child({ component: 'storage' }))
    // A database that cannot be used (foreign, damaged, read-only) throws a StorageFault: the station does
    // not start, and the headless runner exits with the fault's code.
    const db = openWriter({
      dataDir,
      synchronous: config.dbSynchronous,
      nativeBinding: config.nativeBinding,
      onPermissionFixed: (what) =>
        app.log.warn({ fixed: what }, 'data folder was readable by other users: tightened'),
      onStorageReport: (report) => {
        storage.setStartupReport(report)
        if (report.identity !== 'known')
          app.log.info({ identity: report.identity }, "database marked as the station's")
        if (report.uncleanStop) {
          app.log.warn(
            { checks: report.checks, skipped: report.integritySkipped },
            'the previous run did not close the database: checked it',
          )
        }
      },
    })
    // Migrations ran on the main connection above; the writer thread opens the migrated file.
    let threadWriter: Writer
    try {
      threadWriter =
        dataDir === undefined
          ? new InlineWriter(db, instruments.write)
          : await WorkerWriter.start({
              dbPath: databasePath(dataDir),
              synchronous: config.dbSynchronous,
              nativeBinding: config.nativeBinding,
              onError: (err) => app.log.error({ err }, 'SQLite writer thread died; restarting it'),
              observe: instruments.write,
            })
    } catch (err) {
      db.close()
      throw err
    }
    const writer: Writer = new StorageGuardedWriter(threadWriter, storage)
    const space =
      dataDir === undefined ? undefined : watchSpace({ dataDir, writer, monitor: storage, log: app.log })
    // The writer thread commits nearly every write and checkpoints the WAL as it goes; the main connection
    // must not run a checkpoint on the event loop after one of its rare writes.
    if (dataDir !== undefined) db.pragma('wal_autocheckpoint = 0')
    const pool: ReadPool =
      dataDir === undefined
        ? new InlineReadPool(db, READ_QUERIES, instruments.read)
        : new WorkerReadPool({
            dbPath: databasePath(dataDir),
            size: config.readPoolSize,
            queries: READ_QUERIES,
            timeoutMs: config.readTimeoutMs,
            nativeBinding: config.nativeBinding,
            log: app.log.child({ component: 'read-pool' }),
            observe: instruments.read,
          })
    const reads: ReadPool = new StorageGuardedReads(pool, storage)
    const queues = createQueueRegistry(instruments)
    app.decorate('db', db)
    app.decorate('writer', writer)
    app.decorate('storage', storage)

    // Online backups (SQLite's backup API on the main connection): a minute after start, then daily; none
    // while storage is faulty (a full disk has no room, a damaged file is no backup).
    let backupTimer: NodeJS.Timeout | undefined
    const backup = () => {
      if (dataDir === undefined || storage.currentFault()) return
      backupDatabase(db, dataDir).then(
        (file) => app.log.info({ file }, 'database backed up'),
        (err: unknown) =>
          app.log.warn({ code: (err as { code?: string }).code, err: String(err) }, 'database backup failed'),
      )
    }
    if (dataDir !== undefined) {
      backupTimer = setTimeout(function again() {
        backup()
        backupTimer = setTimeout(again, BACKUP_INTERVAL_MS).unref()
      }, 60_000).unref()
    }
    app.decorate('reads', reads)
    app.decorate('queues', queues)
    const domainCaches = new DomainCacheRegistry()
    domainCaches.startCleanup()
    app.decorate('domainCaches', domainCaches)

    // Registered before every plugin that holds resources, so it runs last on close (Fastify runs onClose
    // hooks in reverse order): by then every route and plugin has stopped, the queues are flushed (their
    // last commits on the writer thread awaited), the writer thread closes, then the database.
    app.addHook('onClose', async () => {
      domainCaches.stop()
      space?.stop()
      clearTimeout(backupTimer)
      await queues.closeAll()
      await writer.close()
      await reads.close()
      if (dataDir !== undefined) {
        try {
          db.pragma('wal_checkpoint(TRUNCATE)')
        } catch (err) {
          // The disk is full (or read-only): the WAL stays and SQLite replays it on the next start.
          const why = (err as { code?: string }).code ?? String(err)
          app.log.warn(
            { code: why },
            'final WAL checkpoint failed: the WAL is kept and replayed on the next start',
          )
        }
      }
      db.close()
      app.log.info('database closed')
    })
  },
  { name: 'station-database', dependencies: ['station-prometheus'] },
)
