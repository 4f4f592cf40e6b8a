/**
 * Who did it and from where, for an audit entry. The desktop window's requests reach the routes through
 * `app.inject` (src/main/ipc/dispatcher.ts), which marks them with the transport header; the mark counts
 * only on a request that has no network socket (inject's stand-in), so no network client can claim to be
 * the desktop by sending the header.
 */
import { Socket } from 'node:net'
import type { FastifyRequest } from 'fastify'
import type { Principal } from '../server/plugins/auth'
import { DESKTOP_SOURCE, type AuditActorKind } from '../../shared/schemas/audit'

/** Set by the IPC dispatcher on the requests it hands to the station in-process. */
export const TRANSPORT_HEADER = 'x-station-transport'
export const DESKTOP_TRANSPORT = 'desktop'

export interface AuditActor {
  kind: AuditActorKind
  id: number | null
  name: string | null
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: null, name: 'station' }

export function sourceOf(req: FastifyRequest): string {
  const inProcess = !(req.raw.socket instanceof Socket)
  if (inProcess && req.headers[TRANSPORT_HEADER] === DESKTOP_TRANSPORT) return DESKTOP_SOURCE
  return req.ip
}

export function actorOf(p: Principal | null): AuditActor {
  switch (p?.kind) {
    case 'user':
      return { kind: 'user', id: p.id, name: p.username }
    case 'device':
      return { kind: 'device', id: null, name: p.deviceId ?? 'site-key' }
    case 'camera':
      return { kind: 'device', id: null, name: `camera:${p.cameraId}` }
    case 'scraper':
      return { kind: 'device', id: null, name: 'metrics-scraper' }
    default:
      return { kind: 'anonymous', id: null, name: null }
  }
}
