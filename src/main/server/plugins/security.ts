/**
 * State-changing requests and WebSocket upgrades must be addressed to the station by one of its own names
 * (DNS rebinding: see allowed-hosts.ts) and, when a browser sends an Origin, come from the station's own
 * origin, scheme included (CSRF and cross-site WebSocket hijacking). LAN devices send no Origin; browsers
 * on the station's own page send the station's own origin. Reads (GET without upgrade) are not checked:
 * a rebinding page cannot read them without a session token, which lives only in the station's origin.
 */
import fp from 'fastify-plugin'
import { errors } from '../errors'
import { AllowedHosts } from '../allowed-hosts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The station's own names and addresses (allowed-hosts.ts): Host checks, and cameras pointing at it. */
    stationHosts: AllowedHosts
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Whether `origin` is the station's own: same scheme (the station speaks plain HTTP), host and port. */
export function sameOrigin(origin: string, host: string | undefined, scheme = 'http:'): boolean {
  if (!host) return false
  try {
    const url = new URL(origin)
    return url.protocol === scheme && url.host === host.toLowerCase()
  } catch {
    return false
  }
}

export default fp(
  async (app) => {
    const hosts = new AllowedHosts(app.config.allowedHosts)
    app.decorate('stationHosts', hosts)
    app.addHook('onRequest', (req, _reply, done) => {
      const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket'
      if (SAFE.has(req.method) && !upgrade) return done()
      if (!hosts.allows(req.headers.host)) return done(errors.foreignHost(req.headers.host ?? ''))
      const origin = req.headers.origin
      if (origin !== undefined && !sameOrigin(origin, req.headers.host))
        return done(errors.foreignOrigin(origin))
      done()
    })
  },
  { name: 'station-security' },
)
