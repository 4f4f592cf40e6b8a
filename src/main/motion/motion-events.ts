/**
 * Motion becomes station events (info) and live messages: subscribers of `camera.motion` on the domain
 * event stream, so the detectors only publish.
 *
 * Events are rate-limited per camera: a start is recorded at most once per `intervalMs` (default 60 s);
 * the starts left out meanwhile are counted in the next one ("3 more since 14:02"), so a tree in the wind
 * does not bury the events list. Live messages go out for every start and end (tiles show a badge).
 */
import type { DomainEventStream } from '../events/domain-stream'
import type { EventService, LiveHub } from '../services'

export interface MotionEventsDeps {
  stream: Pick<DomainEventStream, 'on'>
  events: Pick<EventService, 'record'>
  live: Pick<LiveHub, 'publish'>
  cameraName: (cameraId: number) => string | undefined
  log: { warn: (obj: object, msg: string) => void }
  intervalMs?: number
  now?: () => number
}

export function recordMotionEvents(deps: MotionEventsDeps): () => void {
  const interval = deps.intervalMs ?? 60_000
  const now = deps.now ?? Date.now
  const last = new Map<number, { at: number; skipped: number }>()
  const offLive = deps.stream.on('camera.motion', 'live:motion', (e) =>
    deps.live.publish({
      type: 'camera.motion',
      cameraId: e.cameraId,
      state: e.state,
      area: e.area,
      at: e.at,
    }),
  )
  const offEvents = deps.stream.on('camera.motion', 'events:motion', (e) => {
    if (e.state !== 'start') return
    const t = now()
    const prev = last.get(e.cameraId)
    if (prev && t - prev.at < interval) {
      prev.skipped++
      return
    }
    last.set(e.cameraId, { at: t, skipped: 0 })
    const name = deps.cameraName(e.cameraId) ?? `#${e.cameraId}`
    const pct = Math.max(1, Math.round(e.area * 100))
    const more = prev?.skipped
      ? ` (${prev.skipped} more since ${new Date(prev.at).toISOString().slice(11, 19)} UTC)`
      : ''
    deps.events
      .record({
        type: 'camera.motion',
        severity: 'info',
        sourceKind: 'camera',
        sourceId: String(e.cameraId),
        message: `Motion on camera "${name}" (${pct}% of the watched area)${more}`,
      })
      .catch((err: unknown) => deps.log.warn({ err, cameraId: e.cameraId }, 'could not record motion event'))
  })
  return () => {
    offLive()
    offEvents()
  }
}
