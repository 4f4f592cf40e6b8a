/** `app.events`: records station events through the 'events' write queue (writer thread), and notes queue overloads. */
import fp from 'fastify-plugin'
import { EventsRepository } from '../../events/events-repository'
import { StationEventService } from '../../events/event-service'

export default fp(
  async (app) => {
    const service = new StationEventService({
      repo: new EventsRepository(app.db),
      writer: app.writer,
      changes: app.changes,
      live: app.live,
      log: app.log,
    })
    app.queues.add(service.queue)
    app.decorate('events', service)
    // Any write queue refusing work (whoever created it) becomes a `queue.overload` event.
    const stop = app.queues.onFull((queue) => service.noteOverload(queue))
    app.addHook('onClose', async () => stop())
  },
  { name: 'station-events', dependencies: ['station-database', 'station-live'] },
)
