/**
 * `app.live`: the UI's live channel hub, with ping/pong every `ws.pingIntervalMs` and a clean close on
 * shutdown. It carries committed facts from the domain event stream (ws/live-feed.ts) and the services'
 * own statistics.
 */
import fp from 'fastify-plugin'
import { WsLiveHub } from '../../ws/live-hub'
import { feedLiveChannel } from '../../ws/live-feed'
import { ConnectionBudget, LIVE_LIMITS } from '../../ws/connection-budget'

declare module 'fastify' {
  interface FastifyInstance {
    /** Open `/ws/live` channels, per user and per address. */
    liveBudget: ConnectionBudget
  }
}

export default fp(
  async (app) => {
    const hub = new WsLiveHub()
    app.decorate('live', hub)
    // Live channels have their own budget, with caps per user and per address (ws/connection-budget.ts).
    app.decorate('liveBudget', new ConnectionBudget('live channels', LIVE_LIMITS))
    const unfeed = feedLiveChannel(app.domainEvents, hub)
    const timer = setInterval(() => hub.heartbeat(), app.config.ws.pingIntervalMs)
    timer.unref()
    app.addHook('preClose', async () => {
      clearInterval(timer)
      hub.closeAll()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      unfeed()
    })
  },
  { name: 'station-live', dependencies: ['station-domain-events'] },
)
