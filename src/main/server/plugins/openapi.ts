/**
 * The station's OpenAPI document (@fastify/swagger), served at `GET /api/openapi.json` without
 * authentication: it documents the device protocol for firmware writers. Every operation names the
 * credentials it takes (a session bearer token, the site key in x-device-key, a device token, or the
 * metrics token).
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import { Type } from '@sinclair/typebox'
import { DEVICE_KEY_HEADER } from '../../../shared/constants'
import type { AuthPolicy } from './auth'

const SECURITY: Record<AuthPolicy, Record<string, string[]>[]> = {
  public: [],
  device: [{ deviceKey: [] }, { bearerAuth: [] }],
  guard: [{ bearerAuth: [] }],
  admin: [{ bearerAuth: [] }],
  'device-or-guard': [{ deviceKey: [] }, { bearerAuth: [] }],
  'admin-or-scraper': [{ bearerAuth: [] }, { metricsToken: [] }],
}

const WHO: Record<AuthPolicy, string> = {
  public: 'No authentication.',
  device: 'Devices: the site key in x-device-key, or a device token as Bearer.',
  guard: 'Any signed-in user (guard or admin).',
  admin: 'Admins only.',
  'device-or-guard': 'Devices (site key or device token) or any signed-in user.',
  'admin-or-scraper':
    'Admins, or a Prometheus scraper: the metrics token as Bearer, or no credential from an address ' +
    'on STATION_METRICS_ALLOW.',
}

const ERROR = { $ref: 'ErrorBody#' }
const ERROR_ANSWERS = {
  400: 'Invalid request (the message says which field)',
  401: 'Not signed in, or the credential is wrong or no longer valid',
  403: 'Signed in, but not allowed (role, origin or host)',
  404: 'Not found',
  405: 'Method not allowed on this path (the Allow header lists the allowed ones)',
  429: 'Too many requests or failed attempts (Retry-After says when to retry)',
  500: 'Internal error (details are in the station log)',
  503: 'Overloaded, storage full or shutting down (Retry-After says when to retry)',
} as const

/** The error answers an operation can give, each with the station's one error shape. */
function errorResponses(policy: AuthPolicy, existing: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [code, description] of Object.entries(ERROR_ANSWERS)) {
    if (policy === 'public' && (code === '401' || code === '403')) continue
    if (existing[code] === undefined) out[code] = { description, ...ERROR }
  }
  return out
}

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Guard Station API',
          description:
            'The station’s LAN API: cameras, sensors and buzzers, for the guard desk and for device firmware. ' +
            'Answers are `{ success: true, data }`; errors are `{ success: false, statusCode, error, message, code }`.',
          version: '1',
        },
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'A session token from POST /api/auth/login, or a device token issued by an admin',
            },
            metricsToken: {
              type: 'http',
              scheme: 'bearer',
              description: 'The metrics token from POST /api/settings/metrics-token: opens GET /metrics only',
            },
            deviceKey: {
              type: 'apiKey',
              in: 'header',
              name: DEVICE_KEY_HEADER,
              description: 'The site key shown to admins (GET /api/settings/device-key)',
            },
          },
        },
      },
      transform: ({ schema, url, route }) => {
        const policy: AuthPolicy = route.config?.auth ?? 'admin'
        const s = (schema ?? {}) as Record<string, unknown>
        const description =
          typeof s.description === 'string' ? `${s.description}\n\n${WHO[policy]}` : WHO[policy]
        const response = (s.response ?? {}) as Record<string, unknown>
        return {
          schema: {
            ...s,
            description,
            security: SECURITY[policy],
            response: { ...response, ...errorResponses(policy, response) },
          },
          url,
        }
      },
    })

    let doc: string | undefined
    app.get(
      '/api/openapi.json',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['station'],
          summary: 'This OpenAPI document',
          response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true }) },
        },
      },
      async (_req, reply) => {
        doc ??= JSON.stringify(app.swagger())
        return reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(doc)
      },
    )
  },
  { name: 'station-openapi', dependencies: ['station-auth'] },
)
