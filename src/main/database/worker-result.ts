/**
 * The answer a database worker thread (reader or writer) sends for one request: the result or the error
 * (name, message and SQLite's code, the only parts that cross the thread), with the time it took.
 */
export interface WorkerErrorInfo {
  name: string
  message: string
  /** SQLite's extended result code (e.g. SQLITE_CONSTRAINT_CHECK) when SQLite raised it. */
  code: string | undefined
}

export type WorkerResult<R = unknown> =
  | { type: 'result'; id: number; ok: true; result: R; ms: number }
  | { type: 'result'; id: number; ok: false; error: WorkerErrorInfo; ms: number }

/** Runs one request's work and answers it, timed. */
export function runTimed<R>(id: number, work: () => R): WorkerResult<R> {
  const started = performance.now()
  try {
    const result = work()
    return { type: 'result', id, ok: true, result, ms: performance.now() - started }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    const code = (e as { code?: unknown }).code
    return {
      type: 'result',
      id,
      ok: false,
      error: { name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined },
      ms: performance.now() - started,
    }
  }
}
