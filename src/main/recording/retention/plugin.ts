/**
 * `station-retention`: `app.retention` (./retention-service.ts) over the station's database (writer,
 * read pool, main connection for point reads), its domain event stream and station events, with the
 * recordings folder's volume checked by `statfs`. Its `/metrics` figures register here. The recorder's
 * per-camera status (`app.recording.figures()`) feeds the storage figures; tests
 * replace the volume check with `app.retention.useVolumeCheck(...)`.
 */
import fp from 'fastify-plugin'
import { cameraRetentionFromDb } from './camera-retention'
import { RetentionService } from './retention-service'
import { segmentBoundsFromDb } from './segment-bounds'
import { recordingsDir, SegmentFiles } from './segment-files'
import { registerStorageMetrics } from './storage-metrics'
import { statfsVolume } from './volume'

declare module 'fastify' {
  interface FastifyInstance {
    retention: RetentionService
  }
}

export default fp(
  async (app) => {
    const root = recordingsDir(app.config.dataDir)
    const service = new RetentionService({
      reads: app.reads,
      writer: app.writer,
      domainEvents: app.domainEvents,
      events: app.events,
      cameras: cameraRetentionFromDb(app.db),
      bounds: segmentBoundsFromDb(app.db),
      volume: statfsVolume(root),
      files: new SegmentFiles(root),
      limits: app.config.recordings,
      log: app.log.child({ component: 'retention' }),
    })
    app.decorate('retention', service)
    // The recorder's own figures: state, last error and write rate per camera.
    service.useRecorderStatus((cameraId) => app.recording.figures().get(cameraId))
    registerStorageMetrics(
      app.prometheus.registry,
      () => service.snapshot(),
      () => service.stats(),
    )
    app.addHook('onReady', async () => service.start())
    app.addHook('onClose', async () => service.stop())
  },
  {
    name: 'station-retention',
    dependencies: [
      'station-domain-events',
      'station-prometheus',
      'station-database',
      'station-events',
      'station-cameras',
      'station-recording',
    ],
  },
)
