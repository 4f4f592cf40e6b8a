/**
 * `app.events`: records station events through the 'events' write queue (writer thread): queue overloads,
 * devices going online/offline (from the domain event stream) and storage faults (database/storage-events.ts).
 */
import fp from 'fastify-plugin'
import { EventsRepository } from '../../events/events-repository'
import { StationEventService } from '../../events/event-service'
import { recordPresenceEvents } from '../../events/presence-events'
import { recordStorageEvents } from '../../database/storage-events'

export default fp(
  async (app) => {
    const service = new StationEventService({
      repo: new EventsRepository(app.db),
      writer: app.writer,
      domainEvents: app.domainEvents,
      log: app.log,
    })
    app.queues.add(service.queue)
    app.decorate('events', service)
    // Any write queue refusing work (whoever created it) becomes a `queue.overload` event.
    const stop = app.queues.onFull((queue) => service.noteOverload(queue))
    // Devices going online/offline become events (the device service only reports presence).
    const offPresence = recordPresenceEvents(app.domainEvents, service, app.log)
    // Storage faults (disk full, read-only, damaged) and their end become events.
    const offStorage = recordStorageEvents(app.storage, service, app.log)
    app.addHook('onClose', async () => {
      stop()
      offPresence()
      offStorage()
    })
  },
  { name: 'station-events', dependencies: ['station-domain-events', 'station-database'] },
)
