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

export class AccessLog extends LogController {
  /** Nothing on arrival: one line per request, when it is answered. */
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode
    const level = error || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug'
    if (!logs(reply.log, level)) return
    const line = { req, res: reply, responseTime: reply.elapsedTime, ...(error ? { err: error } : {}) }
    const msg = error
      ? 'request errored'
      : status >= 500
        ? 'request failed'
        : status >= 400
          ? 'request refused'
          : 'request completed'
    reply.log[level](line, msg)
  }
}
