/**
 * Builds the station's Fastify app. Plugins register in tiers: external (@fastify/*), then the station's
 * services, then routes. Registration is explicit: no autoload, so the bundle knows every file.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { StationConfig } from '../config'
import { ErrorBody } from '../../shared/schemas/common'
import databasePlugin from './plugins/database'
import errorsPlugin from './plugins/errors'
import securityPlugin from './plugins/security'
import authPlugin from './plugins/auth'
import healthRoutes from './routes/health'
import websocket from '@fastify/websocket'

export type App = FastifyInstance

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
  const app = Fastify({
    logger: loggerOptions(config, opts.logger),
    bodyLimit: config.bodyLimit,
    // No reverse proxy in front of the station: bound how long a client may take.
    requestTimeout: 30_000,
    connectionTimeout: 0,
    keepAliveTimeout: 72_000,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.addSchema(ErrorBody)

  // Tier 1: the station's foundations (the database closes last).
  await app.register(databasePlugin)
  await app.register(errorsPlugin)
  await app.register(securityPlugin)
  await app.register(authPlugin)
  // (rate limit, compression, OpenAPI register here, after auth: the rate limit exempts signed-in clients)
  await app.register(websocket, {
    options: {
      maxPayload: config.ws.maxPayload,
      perMessageDeflate: config.ws.perMessageDeflate,
    },
  })

  // Tier 2: station services.

  // Tier 3: routes.
  await app.register(healthRoutes)

  return app as unknown as App
}
