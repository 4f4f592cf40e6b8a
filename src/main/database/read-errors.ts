/**
 * Why a read from the pool failed. `ReadPoolError`s carry the HTTP status and code the error handler
 * answers with (server/plugins/errors.ts), so a caller never waits on a read that will not come: it gets a
 * coded 503 or 504. `ReadQueryError` is SQLite refusing the query itself (a bug: 500).
 */
import type { ReadErrorInfo } from './read-protocol'

export class ReadPoolError extends Error {
  constructor(
    readonly statusCode: 503 | 504,
    readonly code: string,
    message: string,
    /** Seconds a client should wait before asking again (the `retry-after` header), when retrying helps. */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'ReadPoolError'
  }
}

export class PoolClosedError extends ReadPoolError {
  constructor() {
    super(503, 'SHUTTING_DOWN', 'The read pool is closed', 5)
    this.name = 'PoolClosedError'
  }
}

export const readErrors = {
  /** The query ran past the read timeout; its worker was stopped. Asking again runs it again: no retry-after. */
  timeout: (query: string, ms: number) =>
    new ReadPoolError(
      504,
      'READ_TIMEOUT',
      `The read ${query} took longer than ${ms} ms and was stopped; ask for a shorter range or a wider bucket`,
    ),
  /** No worker was free for the whole read timeout. */
  busy: (ms: number) =>
    new ReadPoolError(503, 'OVERLOADED', `No read worker was free within ${ms} ms; try again shortly`, 1),
  queueFull: (max: number) =>
    new ReadPoolError(503, 'OVERLOADED', `Too many reads waiting (${max}); try again shortly`, 1),
  /** The worker running the query died (it is replaced); the query's outcome is lost, asking again is safe. */
  workerDied: (query: string, cause: Error) =>
    new ReadPoolError(
      503,
      'READ_WORKER_DIED',
      `The read worker running ${query} stopped unexpectedly; try again`,
      1,
      { cause },
    ),
  /** Every read worker failed to start (and is being restarted with backoff). */
  down: (cause: Error) =>
    new ReadPoolError(503, 'READ_POOL_DOWN', `The read workers cannot start: ${cause.message}`, 5, { cause }),
} as const

/** A query that failed in a read worker: SQLite's error, rebuilt on the main thread. */
export class ReadQueryError extends Error {
  readonly code: string | undefined
  constructor(info: ReadErrorInfo) {
    super(info.message)
    this.name = info.name
    this.code = info.code
  }
}
