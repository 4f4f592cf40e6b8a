/** Messages between the read pool (./read-pool.ts) and its worker threads (./read-worker.ts). */
import type { ReadCatalogue } from './read-queries'

export interface ReadWorkerData {
  dbPath: string
  nativeBinding?: string | undefined
  /** The catalogue the worker prepares (the station's, ./read-queries.ts; tests may add their own). */
  queries: ReadCatalogue
}

export type ReadRequest = { type: 'run'; id: number; name: string; params: unknown } | { type: 'close' }

export interface ReadErrorInfo {
  name: string
  message: string
  /** SQLite's extended result code (e.g. SQLITE_ERROR) when SQLite raised it. */
  code: string | undefined
}

export type ReadResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown; ms: number }
  | { type: 'result'; id: number; ok: false; error: ReadErrorInfo; ms: number }
