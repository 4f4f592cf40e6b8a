/**
 * The access log, at levels that suit a station devices talk to every second: a refused request (4xx) is
 * logged at info, a failed one (5xx) at error, every other request at debug only. Fastify's defaults
 * ("incoming request" and "request completed" at info for every request) would be thousands of lines a
 * second saying nothing with a few hundred devices. Plugged in as Fastify's `logController`.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify'

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }

/** Whether `log` writes lines of `level` (checked before building a line nobody would see). */
export function logs(log: FastifyBaseLogger, level: 'debug' | 'info' | 'warn' | 'error'): boolean {
  return LEVELS[level]! >= (LEVELS[log.level] ?? Infinity)
}

/** Refusals (401/403/429) from one address with one status are logged once per this interval. */
export const REFUSAL_LOG_INTERVAL_MS = 10_000
const MAX_REFUSAL_KEYS = 1_000
const AGGREGATED = new Set([401, 403, 429])

/**
 * Aggregates repeated refusals: the first refusal of an address and status in an interval is logged
 * with its request; the others are counted and summed up in one line when the interval ends.
 */
export class RefusalSampler {
  private readonly open = new Map<string, { ip: string; status: number; since: number; suppressed: number }>()
  private timer: NodeJS.Timeout | undefined
  private log: FastifyBaseLogger | undefined

  constructor(private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS) {}

  /** True when this refusal should be logged in full; false when it was counted into a summary. */
  admit(ip: string, status: number, log: FastifyBaseLogger): boolean {
    const key = `${status} ${ip}`
    const entry = this.open.get(key)
    if (entry) {
      entry.suppressed++
      return false
    }
    if (this.open.size >= MAX_REFUSAL_KEYS) return false
    this.open.set(key, { ip, status, since: Date.now(), suppressed: 0 })
    this.log = log
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref()
    return true
  }

  /** Writes one summary line per address and status that had refusals counted, and starts over. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    for (const e of this.open.values()) {
      if (e.suppressed > 0) {
        this.log?.info(
          { ip: e.ip, statusCode: e.status, suppressed: e.suppressed, sinceMs: Date.now() - e.since },
          'more requests refused (aggregated)',
        )
      }
    }
    this.open.clear()
  }
}

/**
 * Requests answered 503 for a storage fault (disk full, read-only, damaged): the storage monitor logs the
 * fault (once, then aggregated per interval), so their lines are refusals (info, aggregated), not failures.
 */
const storageRefusals = new WeakSet<FastifyRequest>()
export function markStorageRefusal(req: FastifyRequest): void {
  storageRefusals.add(req)
}

export class AccessLog extends LogController {
  readonly refusals = new RefusalSampler()

  /** Nothing on arrival: one line per request, when it is answered. */
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode
    const storage = !error && storageRefusals.has(req)
    const level = storage ? 'info' : error || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug'
    if (!logs(reply.log, level)) return
    if ((storage || (!error && AGGREGATED.has(status))) && !this.refusals.admit(req.ip, status, reply.log))
      return
    const line = { req, res: reply, responseTime: reply.elapsedTime, ...(error ? { err: error } : {}) }
    const msg = error
      ? 'request errored'
      : storage
        ? 'request refused: storage fault'
        : status >= 500
          ? 'request failed'
          : status >= 400
            ? 'request refused'
            : 'request completed'
    reply.log[level](line, msg)
  }
}
