/**
 * `app.motion`: motion settings (their table) and the detectors (one small ffmpeg decoder per camera with
 * detection on, attached to the camera's channel). Motion starts and ends go out as `camera.motion` on the
 * domain event stream; from there they become station events (rate-limited) and live messages.
 */
import fp from 'fastify-plugin'
import { param } from '../audit/audit-rules'
import { resolveFfmpeg } from '../video/ffmpeg/resolve-ffmpeg'
import { recordMotionEvents } from './motion-events'
import { MotionRunner, type MotionRunnerDeps } from './motion-runner'
import { MotionSettingsService } from './service'

export interface MotionService {
  settings: MotionSettingsService
  runner: MotionRunner
}

declare module 'fastify' {
  interface FastifyInstance {
    motion: MotionService
  }
}

export interface MotionPluginOptions {
  /** Detector tuning (tests: a short hold time). */
  detector?: MotionRunnerDeps['detector']
  /** Rate limit of motion station events per camera (default 60 s). */
  eventIntervalMs?: number
}

export default fp<MotionPluginOptions>(
  async (app, opts) => {
    const ffmpeg = await resolveFfmpeg(app.config.video, { log: app.log })
    const settings = new MotionSettingsService({
      db: app.db,
      events: app.domainEvents,
      cameraExists: (id) => app.cameras.get(id, 'admin') !== undefined,
    })
    const runner = new MotionRunner({
      settings: (id) => settings.current(id),
      enabledSettings: () => settings.enabled(),
      cameraEnabled: (id) => app.cameras.get(id, 'admin')?.enabled === true,
      channel: (id) => app.video.channel(id),
      ffmpeg,
      events: app.domainEvents,
      log: app.log,
      ...(opts.detector ? { detector: opts.detector } : {}),
    })
    app.decorate('motion', { settings, runner })
    // An admin's change is audited: the camera's settings before and after.
    app.audit.define('motion.update', {
      target: ({ req }) => ({ kind: 'camera', id: param(req) }),
      before: (req) => {
        const id = param(req)
        return typeof id === 'number' ? settings.current(id) : undefined
      },
      after: ({ data }) => data,
    })

    const offs = [
      // After the relay's own subscriber (registered before): the camera's channel is up to date.
      app.domainEvents.on('camera.changed', 'motion', (e) => {
        if (e.change !== 'token') runner.reconcile(e.cameraId)
      }),
      app.domainEvents.on('motion.changed', 'motion', (e) => runner.reconcile(e.cameraId)),
      recordMotionEvents({
        stream: app.domainEvents,
        events: app.events,
        live: app.live,
        cameraName: (id) => app.cameras.get(id, 'admin')?.name,
        log: app.log,
        ...(opts.eventIntervalMs !== undefined ? { intervalMs: opts.eventIntervalMs } : {}),
      }),
    ]
    // The relay starts its channels on ready (video plugin, registered before this one).
    app.addHook('onReady', async () => runner.start())
    app.addHook('preClose', async () => {
      for (const off of offs) off()
      await runner.close()
    })
  },
  {
    name: 'station-motion',
    dependencies: [
      'station-domain-events',
      'station-database',
      'station-live',
      'station-events',
      'station-cameras',
      'station-video',
      'station-audit',
    ],
  },
)
