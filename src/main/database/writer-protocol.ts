/** Messages between the main thread (./writer.ts) and the writer thread (./writer-worker.ts). */
import type { WorkerErrorInfo } from './worker-result'
import type { WriteOpName } from './write-ops'

export interface WriterWorkerData {
  dbPath: string
  synchronous: 'FULL' | 'NORMAL'
  nativeBinding?: string | undefined
}

export type WriterRequest = { type: 'run'; id: number; op: WriteOpName; payload: unknown } | { type: 'close' }

/** What crosses the thread of a failed request (worker-result.ts). */
export type WriterErrorInfo = WorkerErrorInfo

export type WriterResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown; ms: number }
  | { type: 'result'; id: number; ok: false; error: WriterErrorInfo; ms: number }
