/**
 * Live video (`app.video`): the camera relay and stream tokens; push cameras may sign in
 * with their own token. The relay follows the camera service's committed changes on the domain event
 * stream. Viewer and push routes live in routes/video-*.ts.
 */
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { hashToken } from '../../auth/tokens'
import { VideoHub } from '../../video/video-hub'
import { builtInSources } from '../../video/sources'
import { locateFfmpeg } from '../../video/ffmpeg/locate'

/** The camera id in a route's params, if it has one. */
function cameraIdParam(req: FastifyRequest): number | undefined {
  const raw = (req.params as Record<string, unknown> | undefined)?.cameraId
  const n = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN
  return Number.isInteger(n) && n > 0 ? n : undefined
}

export default fp(
  async (app) => {
    // RTSP cameras need ffmpeg; without one they say so, and everything else works.
    const ffmpeg = await locateFfmpeg({
      configured: process.env.STATION_FFMPEG,
      resourcesPath: process.env.STATION_RESOURCES_PATH,
      pathEnv: process.env.PATH,
    })
    if (ffmpeg.found)
      app.log.info({ ffmpeg: ffmpeg.path, version: ffmpeg.version, licence: ffmpeg.licence }, 'ffmpeg found')
    else app.log.warn({ searched: ffmpeg.searched }, `${ffmpeg.message}: RTSP cameras cannot be shown`)
    const hub = new VideoHub({
      ffmpeg,
      cameras: app.cameras,
      events: app.events,
      live: app.live,
      config: app.config.video,
      sources: builtInSources(),
      log: app.log,
      observeRelay: app.prometheus.instruments.relay,
    })
    app.decorate('video', hub)
    app.metrics.provide('video', () => hub.stats())

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
      const id = app.cameras.cameraForToken(hashToken(token))
      return id !== undefined && id === cameraIdParam(req) ? { kind: 'camera', cameraId: id } : null
    })

    // Each committed camera change reloads that one camera (synchronously, before the write is answered).
    const off = app.domainEvents.on('camera.changed', 'video-relay', (e) =>
      hub.cameraChanged(e.cameraId, e.change),
    )
    app.addHook('onReady', async () => {
      hub.start()
    })
    // Before the HTTP server closes: MJPEG responses and camera connections would otherwise hold it open.
    app.addHook('preClose', async () => {
      off()
      await hub.close()
    })
  },
  {
    name: 'station-video',
    dependencies: [
      'station-prometheus',
      'station-metrics',
      'station-database',
      'station-auth',
      'station-live',
      'station-events',
      'station-cameras',
    ],
  },
)
