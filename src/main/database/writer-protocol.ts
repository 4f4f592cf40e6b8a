/** Messages between the main thread (./writer.ts) and the writer thread (./writer-worker.ts). */
import type { WriteOpName } from './write-ops'

export interface WriterWorkerData {
  dbPath: string
  synchronous: 'FULL' | 'NORMAL'
  nativeBinding?: string | undefined
}

export type WriterRequest = { type: 'run'; id: number; op: WriteOpName; payload: unknown } | { type: 'close' }

export interface WriterErrorInfo {
  name: string
  message: string
  /** SQLite's extended result code (e.g. SQLITE_CONSTRAINT_CHECK) when SQLite raised it. */
  code: string | undefined
}

export type WriterResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown; ms: number }
  | { type: 'result'; id: number; ok: false; error: WriterErrorInfo; ms: number }
