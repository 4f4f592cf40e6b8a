/**
 * Links station events to the alarms rules raise from them. A failed buzzer command is both at once (the
 * engine raises from the `buzzer.failed` event itself). Device and camera offline are not: the engine
 * raises from the presence or health fact, and the station event of the same change is written through
 * the events queue a moment later; or, while its area is disarmed, the event comes first and the alarm
 * when the area is armed. So each side waits here for the other, by key (`device.offline:<id>`,
 * `camera.offline:<id>`), and the first match links. Bounded: a few hundred keys at most, oldest dropped.
 */
const MAX_KEYS = 512
/** An alarm waits this long for its event (the events queue commits within a second or so). */
const ALARM_WAIT_MS = 120_000
/** An event's time may be this much before the alarm's condition began (clocks of the two writes). */
const SLACK_MS = 5_000

export type LinkKey = `${'device' | 'camera'}.offline:${string}`

export class EventAlarmLinks {
  private readonly alarms = new Map<LinkKey, { alarmId: number; at: number }>()
  private readonly events = new Map<LinkKey, { eventId: number; ts: number }>()

  constructor(
    private readonly link: (eventId: number, alarmId: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A rule raised (or repeated) `alarmId` for the condition that began at `since`. */
  raised(key: LinkKey, alarmId: number, since: number): void {
    const ev = this.events.get(key)
    if (ev && ev.ts >= since - SLACK_MS) {
      this.events.delete(key)
      this.link(ev.eventId, alarmId)
      return
    }
    put(this.alarms, key, { alarmId, at: this.now() })
  }

  /** A station event was recorded; `wanted` says whether any rule may raise from it. */
  recorded(key: LinkKey, eventId: number, ts: number, wanted: boolean): void {
    const a = this.alarms.get(key)
    if (a) {
      this.alarms.delete(key)
      if (this.now() - a.at <= ALARM_WAIT_MS) return this.link(eventId, a.alarmId)
    }
    if (wanted) put(this.events, key, { eventId, ts })
  }
}

function put<V>(map: Map<LinkKey, V>, key: LinkKey, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MAX_KEYS) map.delete(map.keys().next().value!)
}
