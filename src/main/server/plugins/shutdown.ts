/**
 * Shutdown at the edge (`app.closing`): from the first step of the close, every request and WebSocket
 * upgrade is answered `503 SHUTTING_DOWN` with `Retry-After` and `Connection: close`, through the normal
 * error path, and its connection is ended once the answer is out. Fastify's own closing answer
 * (`return503OnClosing`) is off: it bypasses the reply hooks and ends nothing, so an upgrade it refused kept
 * its socket open (CLOSE-WAIT) and held the server's close for ever.
 *
 * Then, still before any socket closes, every write queue drains: what devices sent before the close is
 * committed and acknowledged on their sockets, and only then (@fastify/websocket's preClose, registered
 * later) do the sockets close with 1001. A socket closed first would leave committed readings without
 * their ack, and the device would send them again (duplicates). Registered after the database plugin and
 * before the plugins that hold sockets: its preClose runs first.
 */
import fp from 'fastify-plugin'
import { setImmediate as nextTurn } from 'node:timers/promises'
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
      // Writes arriving from now on are refused (SHUTTING_DOWN: nothing stored, resend later).
      await app.queues.closeAll()
      // The acks of the last commits are sent from their promise callbacks: let them all run.
      await nextTurn()
    })
  },
  { name: 'station-shutdown', dependencies: ['station-errors', 'station-database'] },
)
