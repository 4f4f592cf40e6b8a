/**
 * `app.recording`: the recording service (recording-service.ts). Registered after the video relay: it
 * attaches recorders to the cameras' channels once the relay has started them (onReady; the start-up
 * repair of the recordings runs first, in the background), and on close finishes every open segment
 * (fsynced and indexed, bounded in time) before the database closes (its onClose runs before the
 * database plugin's: Fastify runs them in reverse order).
 */
import fp from 'fastify-plugin'
import { RecordingService } from './recording-service'
import { recordingsRoot } from './segment-path'
import { resolveFfmpeg } from '../video/ffmpeg/resolve-ffmpeg'

declare module 'fastify' {
  interface FastifyInstance {
    recording: RecordingService
  }
}

/** Longest the station's stop waits for open segments to be finished. */
const CLOSE_DEADLINE_MS = 5_000

export default fp(
  async (app) => {
    const service = new RecordingService({
      db: app.db,
      writer: app.writer,
      events: app.domainEvents,
      stationEvents: app.events,
      cameras: app.cameras,
      channel: (id) => app.video.channel(id),
      root: recordingsRoot(app.config.dataDir),
      segmentMs: app.config.recording.segmentS * 1000,
      // Resolved once per station and cached: the relay asked first.
      ffmpeg: await resolveFfmpeg(app.config.video, { log: app.log }),
      log: app.log.child({ component: 'recording' }),
    })
    app.decorate('recording', service)
    app.addHook('onReady', async () => {
      void service.start()
    })
    app.addHook('onClose', async () => {
      await service.close(CLOSE_DEADLINE_MS)
    })
  },
  {
    name: 'station-recording',
    dependencies: [
      'station-database',
      'station-domain-events',
      'station-events',
      'station-cameras',
      'station-video',
    ],
  },
)
