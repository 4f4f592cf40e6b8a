/** Alarm changes and area arming from the domain event stream to `/ws/live`: every desk sees the same state. */
import type { DomainEventStream } from '../events/domain-stream'
import type { LiveHub } from '../services'

export function feedLiveAlarms(stream: DomainEventStream, live: LiveHub): () => void {
  const offs = [
    stream.on('alarm.changed', 'live:alarms', (e) => live.publish({ type: 'alarm', alarm: e.alarm })),
    stream.on('area.arming', 'live:arming', (e) => live.publish({ type: 'area.arming', arming: e.arming })),
  ]
  return () => {
    for (const off of offs) off()
  }
}
