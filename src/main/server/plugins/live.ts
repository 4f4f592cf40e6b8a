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
  },
  { name: 'station-live' },
)
