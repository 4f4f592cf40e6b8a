/**
 * What the UI's live channel says about committed facts: a subscriber of the domain event stream that
 * turns readings, device presence, buzzer statuses and station events into `/ws/live` messages. (Camera
 * messages come from the camera domain's own subscriber.) Nothing that writes calls the live hub.
 */
import type { DomainEventStream } from '../events/domain-stream'
import type { LiveHub } from '../services'

export function feedLiveChannel(stream: DomainEventStream, live: LiveHub): () => void {
  const offs = [
    stream.on('reading.committed', 'live:readings', (e) => {
      if (live.subscribers === 0) return
      // At most one live message per device and sensor per commit: the newest value.
      for (const s of e.latest) {
        live.publish({
          type: 'reading',
          deviceId: s.deviceId,
          sensor: s.sensor,
          value: s.value,
          unit: s.unit,
          ts: s.ts,
        })
      }
    }),
    stream.on('device.presence', 'live:devices', (e) =>
      live.publish({
        type: 'device.status',
        deviceId: e.deviceId,
        online: e.online,
        connected: e.connected,
        lastSeenAt: e.lastSeenAt,
      }),
    ),
    stream.on('buzzer.status', 'live:buzzers', (e) =>
      live.publish({ type: 'buzzer.status', request: e.request }),
    ),
    stream.on('event.recorded', 'live:events', (e) => {
      for (const event of e.events) live.publish({ type: 'event', event })
    }),
    stream.on('event.acknowledged', 'live:events', (e) =>
      live.publish({ type: 'event.acked', event: e.event }),
    ),
  ]
  return () => {
    for (const off of offs) off()
  }
}
