/**
 * Refuses cross-origin state-changing requests and WebSocket upgrades from foreign Origins (CSRF and
 * cross-site WebSocket hijacking). LAN devices send no Origin; browsers on the station's own page send
 * the station's own origin.
 */
import fp from 'fastify-plugin'
import { errors } from '../errors'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

export function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

export default fp(
  async (app) => {
    app.addHook('onRequest', (req, _reply, done) => {
      const origin = req.headers.origin
      if (origin === undefined) return done()
      const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket'
      if (SAFE.has(req.method) && !upgrade) return done()
      if (!sameOrigin(origin, req.headers.host)) return done(errors.foreignOrigin(origin))
      done()
    })
  },
  { name: 'station-security' },
)
