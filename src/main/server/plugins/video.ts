/**
 * Live video (`app.video`): the camera relay, its health writer, stream tokens and push-camera tokens.
 * Viewer and push routes live in routes/video-*.ts.
 */
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { hashToken } from '../../auth/tokens'
import { VideoHub } from '../../video/video-hub'

/** The camera id in a route's params, if it has one. */
function cameraIdParam(req: FastifyRequest): number | undefined {
  const raw = (req.params as Record<string, unknown> | undefined)?.cameraId
  const n = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN
  return Number.isInteger(n) && n > 0 ? n : undefined
}

export function videoHub(app: { video: unknown }): VideoHub {
  return app.video as VideoHub
}

export default fp(
  async (app) => {
    const config = app.config.video
    const hub = new VideoHub({
      db: app.db,
      writer: app.writer,
      config,
      queues: app.queues,
      changes: app.changes,
      events: () => (app.hasDecorator('events') ? app.events : undefined),
      live: () => (app.hasDecorator('live') ? app.live : undefined),
      log: app.log,
      observeRelay: app.prometheus.instruments.relay,
    })
    app.decorate('video', hub)

    // Stream tokens: viewing only, and only while the session that asked for them is valid.
    app.auth.registerScopedTokens('stream', (token, req) => {
      const owner = hub.tokens.resolve(token, cameraIdParam(req), (hash) => !!app.auth.sessions.find(hash))
      return owner
        ? {
            kind: 'user',
            id: owner.userId,
            username: owner.username,
            role: owner.role,
            tokenHash: owner.sessionHash,
          }
        : null
    })
    // Push cameras may authenticate with their own token instead of the site key: that camera only.
    app.auth.registerScopedTokens('camera', (token, req) => {
      const id = hub.store.cameraForToken(hashToken(token))
      return id !== undefined && id === cameraIdParam(req) ? { kind: 'camera', cameraId: id } : null
    })

    const off = app.changes.on((tables) => {
      if (tables.includes('cameras')) hub.camerasChanged()
    })
    app.addHook('onReady', async () => {
      hub.start()
    })
    // Before the HTTP server closes: MJPEG responses and camera connections would otherwise hold it open.
    app.addHook('preClose', async () => {
      off()
      hub.close()
    })
  },
  {
    name: 'station-video',
    dependencies: [
      'station-prometheus',
      'station-database',
      'station-auth',
      'station-live',
      'station-events',
    ],
  },
)
