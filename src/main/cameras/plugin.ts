/**
 * `app.cameras`: the camera service (the one owner of the cameras table), and the camera domain's live
 * messages, produced from the domain event stream.
 */
import fp from 'fastify-plugin'
import { AreasRepository } from '../areas/areas-repository'
import { startCameraLive } from './camera-live'
import { CameraService } from './service'

declare module 'fastify' {
  interface FastifyInstance {
    cameras: CameraService
  }
}

export default fp(
  async (app) => {
    const areas = new AreasRepository(app.db)
    const service = new CameraService({
      db: app.db,
      writer: app.writer,
      queues: app.queues,
      events: app.domainEvents,
      areaExists: (id) => areas.exists(id),
      station: { port: app.config.port, isOwnHost: (host) => app.stationHosts.allows(host) },
      log: app.log,
    })
    app.decorate('cameras', service)
    const stopLive = startCameraLive(app.domainEvents, app.live)
    app.addHook('onClose', async () => stopLive())
  },
  {
    name: 'station-cameras',
    dependencies: ['station-domain-events', 'station-database', 'station-security', 'station-live'],
  },
)
