import type { FastifyRequest } from 'fastify'

/**
 * What renews a session: a request the guard's own action makes, i.e. one that changes something
 * (acknowledging, triggering a buzzer, saving, "Stay signed in"). Reads are not: the screens poll and
 * reload on their own (session check, statistics, storage, reconnect catch-up), and live pushes and
 * video arrive without the guard doing anything, so counting them would keep an unattended desk
 * signed in until the absolute maximum. Routes the screens call by themselves opt out (`renewsSession`).
 */
export function isGuardAction(req: FastifyRequest): boolean {
  if (req.routeOptions.config.renewsSession === false) return false
  return req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS'
}
