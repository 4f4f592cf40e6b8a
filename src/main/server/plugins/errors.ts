/** One error shape for the whole station: `{ success: false, statusCode, error, message, code? }`. */
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import { StationError, errorBody } from '../errors'
import { QueueClosedError, QueueFullError } from '../../queues/group-commit-queue'
import { ReadPoolError } from '../../database/read-errors'

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | Error, req, reply) => {
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
      if (status >= 500) {
        req.log.error({ err }, 'request failed')
        return reply
          .code(status)
          .send(errorBody(status, status === 500 ? 'Internal error' : fe.message, fe.code))
      }
      if (status === 429) {
        return reply.code(429).send(errorBody(429, fe.message || 'Too many requests', 'RATE_LIMITED'))
      }
      return reply.code(status).send(errorBody(status, fe.message, fe.code))
    })

    app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => {
      reply.code(404).send(errorBody(404, `No route ${req.method} ${req.url.split('?')[0]}`, 'NO_ROUTE'))
    })
  },
  { name: 'station-errors' },
)
