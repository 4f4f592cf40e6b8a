/** `app.devices`: device ingestion (readings queue), online state, device sockets and device admin. */
import fp from 'fastify-plugin'
import { DeviceHub } from '../../devices/device-service'

export default fp(
  async (app) => {
    const hub = new DeviceHub({
      config: app.config,
      db: app.db,
      writer: app.writer,
      queues: app.queues,
      domainCaches: app.domainCaches,
      domainEvents: app.domainEvents,
      log: app.log,
    })
    app.decorate('devices', hub)
    app.metrics.provide('devices', () => hub.stats())
    app.addHook('onReady', async () => hub.start())
    // Runs before the database plugin's onClose (registered later): the queues flush after this.
    app.addHook('onClose', async () => hub.stop())
  },
  { name: 'station-devices', dependencies: ['station-domain-events', 'station-database', 'station-metrics'] },
)
