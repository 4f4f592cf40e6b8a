/** One error shape for the whole station: `{ success: false, statusCode, error, message, code? }`. */
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import { StationError, errorBody } from '../errors'
import { QueueClosedError, QueueFullError } from '../../queues/group-commit-queue'
import { ReadPoolError } from '../../database/read-errors'
import { StorageFault } from '../../database/storage-fault'
import { markStorageRefusal } from '../access-log'

/** The code a client gets for an error that is not one of the station's own. */
const PUBLIC_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
}
export const publicCode = (status: number): string =>
  PUBLIC_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'REQUEST_REFUSED')

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | Error, req, reply) => {
      // A write the disk refused (full, read-only, damaged), on the writer thread or the main connection:
      // 503 with the fault's code and sentence; the storage monitor logs it, aggregated, never per request.
      const storage = app.hasDecorator('storage') ? app.storage.fault(err) : err
      if (storage instanceof StorageFault) {
        markStorageRefusal(req)
        reply.headers(storage.headers)
        return reply.code(503).send(errorBody(503, storage.message, storage.code))
      }
      if (err instanceof StationError) {
        reply.headers(err.headers)
        return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message, err.code))
      }
      if (err instanceof QueueFullError) {
        reply.header('retry-after', String(err.retryAfterSeconds))
        return reply.code(503).send(errorBody(503, err.message, 'OVERLOADED'))
      }
      if (err instanceof QueueClosedError) {
        reply.header('retry-after', '5')
        return reply.code(503).send(errorBody(503, err.message, 'SHUTTING_DOWN'))
      }
      if (err instanceof ReadPoolError) {
        // The read pool logs these itself (aggregated); a timeout or a dead worker is no request's bug.
        if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds))
        return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message, err.code))
      }
      const fe = err as FastifyError
      if (fe.validation) {
        const where = fe.validationContext ?? 'request'
        return reply.code(400).send(errorBody(400, `Invalid ${where}: ${fe.message}`, 'VALIDATION'))
      }
      const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500
      // Internal codes (SQLITE_*, FST_ERR_*, ERR_*) stay in the log: clients get the station's own.
      if (status >= 500) {
        req.log.error({ err }, 'request failed')
        return reply
          .code(status)
          .send(errorBody(status, status === 500 ? 'Internal error' : fe.message, publicCode(status)))
      }
      if (status === 429) {
        return reply.code(429).send(errorBody(429, fe.message || 'Too many requests', 'RATE_LIMITED'))
      }
      return reply.code(status).send(errorBody(status, fe.message, publicCode(status)))
    })
  },
  { name: 'station-errors' },
)
