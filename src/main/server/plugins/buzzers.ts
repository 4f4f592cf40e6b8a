/** `app.buzzers`: buzzer commands through the 'buzzers' write queue, pushed or polled, expired when unconfirmed. */
import fp from 'fastify-plugin'
import { BuzzerRepository } from '../../buzzers/buzzer-repository'
import { StationBuzzerService } from '../../buzzers/buzzer-service'
import type { BuzzerRequest } from '../../../shared/schemas/entities'

export default fp(
  async (app) => {
    const service = new StationBuzzerService({
      repo: new BuzzerRepository(app.db),
      writer: app.writer,
      domainEvents: app.domainEvents,
      events: app.events,
      cache: app.domainCaches.create<string, BuzzerRequest>('buzzer-statuses', 5_000, 5 * 60_000),
      devices: app.devices,
      queueConfig: app.config.queues.buzzers,
      timeoutMs: app.config.buzzerTimeoutMs,
      log: app.log,
    })
    app.queues.add(service.queue)
    app.decorate('buzzers', service)
    service.start()
    app.addHook('onClose', async () => service.stop())
  },
  {
    name: 'station-buzzers',
    dependencies: ['station-domain-events', 'station-database', 'station-events', 'station-devices'],
  },
)
