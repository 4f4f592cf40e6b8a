import type { PoolStats } from '../../shared/schemas/metrics'
import type { ReadPool } from './read-pool'
import type { ReadCatalogue, ReadParams, ReadResult, StationReads } from './read-queries'

/**
 * The read pool as the station uses it: a read that finds the database damaged (a page that went bad
 * after the start-up checks) turns the storage state to damaged, once (`StorageMonitor.readFault`), and
 * answers 503 STORAGE_DAMAGED instead of a bare SQLite error.
 */
export class StorageGuardedReads<C extends ReadCatalogue = StationReads> implements ReadPool<C> {
  constructor(
    private readonly inner: ReadPool<C>,
    private readonly monitor: { readFault(err: unknown): unknown },
  ) {}

  run<K extends keyof C & string>(name: K, params: ReadParams<C[K]>): Promise<ReadResult<C[K]>> {
    return this.inner.run(name, params).catch((err: unknown) => {
      throw this.monitor.readFault(err)
    })
  }

  stats(): PoolStats {
    return this.inner.stats()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
