/** `app.live`: the UI's live channel hub, with ping/pong every `ws.pingIntervalMs` and a clean close on shutdown. */
import fp from 'fastify-plugin'
import { WsLiveHub } from '../../ws/live-hub'

declare module 'fastify' {
  interface FastifyInstance {
    /** The concrete hub behind `app.live` (subscriber management for the /ws/live route). */
    liveHub: WsLiveHub
  }
}

export default fp(
  async (app) => {
    const hub = new WsLiveHub()
    app.decorate('live', hub)
    app.decorate('liveHub', hub)
    const timer = setInterval(() => hub.heartbeat(), app.config.ws.pingIntervalMs)
    timer.unref()
    app.addHook('preClose', async () => {
      clearInterval(timer)
      hub.closeAll()
    })
    app.addHook('onClose', async () => clearInterval(timer))

    // A WebSocket upgrade refused by an earlier onRequest hook (auth, origin, limits) answers over the raw
    // socket, which then belongs to no HTTP connection: nothing would ever close it (a leak, and it holds up
    // shutdown). @fastify/websocket only closes it when its own onRequest hook ran, which is after auth's.
    app.addHook('onResponse', (req, _reply, done) => {
      if (req.headers.upgrade?.toLowerCase() === 'websocket') req.raw.socket.destroy()
      done()
    })
  },
  { name: 'station-live' },
)
