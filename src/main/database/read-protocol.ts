/** Messages between the read pool (./read-pool.ts) and its worker threads (./read-worker.ts). */
import type { WorkerErrorInfo } from './worker-result'
import type { ReadCatalogue } from './read-queries'

export interface ReadWorkerData {
  dbPath: string
  nativeBinding?: string | undefined
  /** The catalogue the worker prepares (the station's, ./read-queries.ts; tests may add their own). */
  queries: ReadCatalogue
}

export type ReadRequest = { type: 'run'; id: number; name: string; params: unknown } | { type: 'close' }

/** What crosses the thread of a failed request (worker-result.ts). */
export type ReadErrorInfo = WorkerErrorInfo

export type ReadResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown; ms: number }
  | { type: 'result'; id: number; ok: false; error: ReadErrorInfo; ms: number }
