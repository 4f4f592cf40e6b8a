/**
 * Builds the station's Fastify app. Plugins register in tiers: external (@fastify/*), then the station's
 * services, then routes. Registration is explicit: no autoload, so the bundle knows every file.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { StationConfig } from '../config'
import { ErrorBody } from '../../shared/schemas/common'
import domainEventsPlugin from './plugins/domain-events'
import prometheusPlugin from './plugins/prometheus'
import databasePlugin from './plugins/database'
import errorsPlugin from './plugins/errors'
import shutdownPlugin from './plugins/shutdown'
import { AccessLog } from './access-log'
import securityPlugin from './plugins/security'
import authPlugin from './plugins/auth'
import livePlugin from './plugins/live'
import metricsPlugin from './plugins/metrics'
import eventsPlugin from './plugins/events'
import buzzersPlugin from './plugins/buzzers'
import devicesPlugin from './plugins/devices'
import ingestRoutes from './routes/ingest'
import devicesRoutes from './routes/devices'
import readingsRoutes from './routes/readings'
import heartbeatRoutes from './routes/heartbeat'
import deviceSocketRoute from '../ws/device-socket'
import liveRoute, { closeWebSockets } from '../ws/live-route'
import eventsRoutes from './routes/events'
import buzzerRoutes from './routes/buzzers'
import metricsRoutes from './routes/metrics'
import metricsTokenRoutes from './routes/metrics-token'
import healthRoutes from './routes/health'
import rateLimitPlugin from './plugins/rate-limit'
import overloadPlugin from './plugins/overload'
import httpPlugin from './plugins/http'
import openapiPlugin from './plugins/openapi'
import responseCachePlugin from './plugins/response-cache'
import authRoutes from './routes/auth'
import usersRoutes from './routes/users'
import settingsRoutes from './routes/settings'
import stationSettingsRoutes from './routes/station-settings'
import cacheRoutes from './routes/cache'
import areasRoutes from './routes/areas'
import camerasPlugin from '../cameras/plugin'
import cameraRoutes from '../cameras/routes'
import videoPlugin from './plugins/video'
import auditPlugin from '../audit/plugin'
import auditRoutes from '../audit/routes'
import recordingPlugin from '../recording/plugin'
import recordNowRoute from '../recording/record-now-route'
import retentionPlugin from '../recording/retention/plugin'
import retentionRoutes from '../recording/retention/routes'
import videoPushRoutes from './routes/video-push'
import videoViewRoutes from './routes/video-view'
import playbackPlugin from '../recording/playback/plugin'
import playbackRoutes from '../recording/playback/routes'
import motionPlugin from '../motion/plugin'
import motionRoutes from '../motion/routes'
import alarmsPlugin from '../alarms/plugin'
import alarmRoutes from '../alarms/alarm-routes'
import rulesRoutes from '../alarms/rules-routes'
import alarmSnapshotRoutes from '../alarms/snapshots/snapshot-routes'
import reportRoutes from '../reports/report-routes'
import rendererPlugin from './plugins/renderer'
import websocket from '@fastify/websocket'
import { HitLane } from './hit-lane'
import { buildValidator } from './validation'

export type App = FastifyInstance

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers response-cache hits in the HTTP server, before Fastify (see hit-lane.ts). */
    hitLane: HitLane
  }
}

/** Strips secrets from logged URLs (stream tokens in the query). */
function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]')
}

export function loggerOptions(config: StationConfig, override?: FastifyServerOptions['logger']) {
  if (override !== undefined) return override
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers["x-device-key"]', 'req.headers.cookie'],
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        ip: req.ip,
      }),
    },
  }
}

export async function buildApp(
  config: StationConfig,
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<App> {
  const hitLane = new HitLane()
  const accessLog = new AccessLog()
  // No reverse proxy in front of the station: bound how long a client may take.
  const timeouts = { requestTimeout: 30_000, connectionTimeout: 0, keepAliveTimeout: 72_000 }
  const app = Fastify({
    serverFactory: hitLane.serverFactory(timeouts),
    logger: loggerOptions(config, opts.logger),
    bodyLimit: config.bodyLimit,
    ...timeouts,
    trustProxy: false,
    // One access-log line per request, at a level that depends on the answer (access-log.ts).
    logController: accessLog,
    // A closing station answers SHUTTING_DOWN itself and ends the connection (plugins/shutdown.ts).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Bodies are never coerced; querystrings and params are, then must hold finite numbers (validation.ts).
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('hitLane', hitLane)
  // The last aggregated refusal counts are written on close.
  app.addHook('onClose', (_app, done) => {
    accessLog.refusals.flush()
    done()
  })
  app.addSchema(ErrorBody)

  // Tier 1: the station's foundations. The domain event stream and the Prometheus registry first: the
  // database's pools and queues report their timings into it. The database closes last.
  await app.register(domainEventsPlugin)
  await app.register(prometheusPlugin)
  await app.register(databasePlugin)
  await app.register(errorsPlugin)
  // Before everything that holds resources: its preClose (from now on, refuse) runs first.
  await app.register(shutdownPlugin)
  // Before security and auth: its hooks then also close upgrades those refuse (401/403/503).
  await app.register(websocket, {
    options: {
      maxPayload: config.ws.maxPayload,
      perMessageDeflate: config.ws.perMessageDeflate,
    },
    // Shutdown cuts sockets that do not finish closing within 2 s (the default waits 30 s per stuck client).
    preClose: closeWebSockets,
  })
  await app.register(securityPlugin)
  await app.register(authPlugin)
  // Rate limit, compression, OpenAPI: after auth (the rate limit exempts signed-in clients).
  await app.register(rateLimitPlugin)
  await app.register(overloadPlugin)
  await app.register(httpPlugin)
  await app.register(openapiPlugin)

  // Tier 2: station services.
  // The live hub first (every service publishes to it), then metrics (its hooks time every route).
  await app.register(livePlugin)
  await app.register(metricsPlugin)
  await app.register(responseCachePlugin)
  await app.register(eventsPlugin)
  await app.register(devicesPlugin)
  await app.register(buzzersPlugin)
  await app.register(camerasPlugin)
  await app.register(videoPlugin)
  await app.register(recordingPlugin)
  // After every service its rules read; before the routes that name them (config.audit).
  await app.register(auditPlugin)
  await app.register(playbackPlugin)
  await app.register(retentionPlugin)
  // After the audit plugin: it defines its own audit rule (motion.update).
  await app.register(motionPlugin)
  // After the audit plugin (it defines the alarm and arming rules) and the buzzers and recording it acts on.
  await app.register(alarmsPlugin)

  // Tier 3: routes.
  await app.register(healthRoutes)
  await app.register(liveRoute)
  await app.register(eventsRoutes)
  await app.register(buzzerRoutes)
  await app.register(ingestRoutes)
  await app.register(devicesRoutes)
  await app.register(readingsRoutes)
  await app.register(heartbeatRoutes)
  await app.register(deviceSocketRoute)
  await app.register(metricsRoutes)
  await app.register(metricsTokenRoutes)
  await app.register(authRoutes)
  await app.register(usersRoutes)
  await app.register(settingsRoutes)
  await app.register(stationSettingsRoutes)
  await app.register(cacheRoutes)
  await app.register(areasRoutes)
  await app.register(cameraRoutes)
  await app.register(videoPushRoutes)
  await app.register(videoViewRoutes)
  await app.register(motionRoutes)
  await app.register(auditRoutes)
  await app.register(playbackRoutes)
  await app.register(recordNowRoute)
  await app.register(retentionRoutes)
  await app.register(rulesRoutes)
  await app.register(alarmRoutes)
  await app.register(alarmSnapshotRoutes)
  await app.register(reportRoutes)
  await app.register(rendererPlugin)

  return app as unknown as App
}
