/**
 * `app.domainEvents`: the stream of committed domain facts (events/domain-stream.ts). Registered first:
 * every service publishes to it after its commits, and caches, the live channel, the video relay and
 * rules subscribe to it.
 */
import fp from 'fastify-plugin'
import { DomainEventStream } from '../../events/domain-stream'

export default fp(
  async (app) => {
    app.decorate('domainEvents', new DomainEventStream(app.log.child({ component: 'domain-events' })))
  },
  { name: 'station-domain-events' },
)
