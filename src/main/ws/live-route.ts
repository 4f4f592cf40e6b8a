/**
 * `/ws/live`: the UI's live channel. Guards and admins authenticate in the upgrade (browsers cannot set
 * headers on a WebSocket, so the session token may come as `?token=`). Live channels have their own
 * budget (ws/connection-budget.ts): a cap per user and per address (429) and one for the station (503), so
 * neither devices nor viewers can use them up, nor they the devices' sockets.
 */
import { sessionCredential } from '../auth/open-connections'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { WebSocket } from 'ws'
import { LiveQuery } from '../../shared/schemas/live'

/** Every WebSocket the station holds (devices, desks and viewers: one ws server serves them all). */
export function openWebSockets(app: { websocketServer?: { clients: Set<unknown> } }): number {
  return app.websocketServer?.clients.size ?? 0
}

/** How long sockets get to finish the close handshake on shutdown before they are cut. */
export const WS_CLOSE_GRACE_MS = 2_000

/**
 * `preClose` for @fastify/websocket: asks every socket (devices and live) to close, and cuts the ones that
 * have not finished within WS_CLOSE_GRACE_MS. The plugin's default waits for ws's 30 s close timeout,
 * so one client that stopped reading would hold up the station's shutdown for 30 s.
 */
export function closeWebSockets(
  this: { websocketServer: { clients: Set<WebSocket>; close(cb: () => void): void } },
  done: () => void,
): void {
  const wss = this.websocketServer
  for (const c of wss.clients) c.close(1001, 'station shutting down')
  const timer = setTimeout(() => {
    for (const c of wss.clients) c.terminate()
  }, WS_CLOSE_GRACE_MS)
  timer.unref()
  wss.close(() => {
    clearTimeout(timer)
    done()
  })
}

const liveRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ws/live',
    {
      websocket: true,
      config: { auth: 'guard', sessionInQuery: true },
      schema: {
        tags: ['live'],
        summary: 'Live channel for the UI (WebSocket): readings, statuses, buzzer changes, events, stats',
        querystring: LiveQuery,
      },
      preValidation: async (req) => {
        const p = req.principal
        const refused = p?.kind === 'user' ? app.liveBudget.refusal(p.username, req.ip) : undefined
        if (refused) throw refused
      },
    },
    (socket, req) => {
      const p = req.principal
      if (p?.kind !== 'user') {
        socket.close(1008, 'not signed in')
        return
      }
      const place = app.liveBudget.take(p.username, req.ip)
      if ('refused' in place) {
        socket.close(1013, place.refused.message)
        return
      }
      socket.once('close', place.release)
      const user = { username: p.username, role: p.role }
      socket.send(JSON.stringify({ type: 'hello', serverTime: Date.now(), user }))
      app.live.add(socket, user)
      // Closed the moment its session ends (sign-out, expiry, user deleted or demoted, new password).
      app.connections.trackSocket(sessionCredential(p), socket)
    },
  )
}

export default liveRoute
