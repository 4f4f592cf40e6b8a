/**
 * Shutdown at the edge (`app.closing`): from the first step of the close, every request and WebSocket
 * upgrade is answered `503 SHUTTING_DOWN` with `Retry-After` and `Connection: close`, through the normal
 * error path, and its connection is ended once the answer is out. Fastify's own closing answer
 * (`return503OnClosing`) is off: it bypasses the reply hooks and ends nothing, so an upgrade it refused kept
 * its socket open (CLOSE-WAIT) and held the server's close for ever. Registered before the plugins that
 * hold resources: its preClose runs first.
 */
import fp from 'fastify-plugin'
import { errors } from '../errors'

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment the station starts closing (its first preClose hook). */
    readonly closing: boolean
  }
}

export default fp(
  async (app) => {
    let closing = false
    app.decorate('closing', { getter: () => closing })
    app.addHook('onRequest', async (req, reply) => {
      if (!closing) return
      reply.header('connection', 'close')
      // An upgrade's socket belongs to no HTTP exchange any more: nothing else would end it.
      const socket = req.raw.socket
      reply.raw.once('finish', () => socket.end())
      throw errors.shuttingDown()
    })
    app.addHook('preClose', async () => {
      closing = true
    })
  },
  { name: 'station-shutdown', dependencies: ['station-errors'] },
)
