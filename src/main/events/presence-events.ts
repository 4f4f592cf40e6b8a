/**
 * Devices going online or offline become station events: a subscriber of the domain event stream, so the
 * device service only reports presence and never calls the event service.
 */
import type { DomainEventStream } from './domain-stream'
import type { EventService } from '../services'

interface Log {
  warn: (obj: object, msg: string) => void
}

export function recordPresenceEvents(
  stream: DomainEventStream,
  events: EventService,
  log: Log,
  now: () => number = Date.now,
): () => void {
  return stream.on('device.presence', 'events:presence', (e) => {
    if (e.change !== 'online' && e.change !== 'offline') return
    const online = e.change === 'online'
    const silentFor = e.lastSeenAt === null ? null : Math.round((now() - e.lastSeenAt) / 1000)
    events
      .record({
        type: online ? 'device.online' : 'device.offline',
        severity: online ? 'info' : 'warning',
        sourceKind: 'device',
        sourceId: e.deviceId,
        message: online
          ? `Device ${e.deviceId} is online`
          : `Device ${e.deviceId} went offline${silentFor === null ? '' : ` (not heard from for ${silentFor} s)`}`,
      })
      .catch((err: unknown) => log.warn({ err, deviceId: e.deviceId }, 'could not record device event'))
  })
}
