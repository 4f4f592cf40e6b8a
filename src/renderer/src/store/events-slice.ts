/**
 * Station events: the list (unacknowledged first), the unacknowledged count for the navigation badge,
 * acknowledgements with a note, and the alert (sound, desktop notification) for new ones.
 */
import type { EventAckResult } from '../../../shared/contract'
import type { StationEvent } from '../../../shared/schemas/entities'
import { attempt, type ActionResult } from './result'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

export const MAX_EVENTS = 500

export interface EventsData {
  events: StationEvent[]
  unackedCount: number
  eventsStatus: LoadStatus
  eventsError: string | null
  /** The event whose acknowledgement dialog is open (the A shortcut opens the newest unacknowledged). */
  ackTarget: number | null
}

export interface EventsSlice extends EventsData {
  loadEvents(): Promise<void>
  ackEvent(id: number, note?: string): Promise<ActionResult<EventAckResult>>
  applyEvent(event: StationEvent): void
  applyEventAcked(event: StationEvent): void
  requestAck(id: number | null): void
}

export const EVENTS_INITIAL: EventsData = {
  events: [],
  unackedCount: 0,
  eventsStatus: 'idle',
  eventsError: null,
  ackTarget: null,
}

/** Unacknowledged first, each group newest first. */
export function sortEvents(events: StationEvent[]): StationEvent[] {
  return [...events].sort((a, b) => {
    const ua = a.ackedAt === null ? 0 : 1
    const ub = b.ackedAt === null ? 0 : 1
    return ua !== ub ? ua - ub : b.ts - a.ts || b.id - a.id
  })
}

export const createEventsSlice =
  (deps: StoreDeps): Slice<EventsSlice> =>
  (set, get) => {
    const replace = (event: StationEvent) => {
      const before = get().events.find((e) => e.id === event.id)
      const wasUnacked = before ? before.ackedAt === null : false
      const events = sortEvents(
        before ? get().events.map((e) => (e.id === event.id ? event : e)) : [event, ...get().events],
      )
      const delta = wasUnacked && event.ackedAt !== null ? -1 : 0
      set({ events: events.slice(0, MAX_EVENTS), unackedCount: Math.max(0, get().unackedCount + delta) })
    }
    return {
      ...EVENTS_INITIAL,

      async loadEvents() {
        set({ eventsStatus: get().events.length ? 'ready' : 'loading', eventsError: null })
        try {
          const [page, unacked] = await Promise.all([
            deps.transport.request('events:list', { limit: 200 }),
            deps.transport.request('events:list', { unacked: true, limit: 1 }),
          ])
          set({ events: sortEvents(page.events), unackedCount: unacked.total, eventsStatus: 'ready' })
        } catch (err) {
          set({ eventsStatus: 'error', eventsError: errorMessage(err) })
        }
      },

      async ackEvent(id, note) {
        const trimmed = note?.trim()
        const res = await attempt(() =>
          deps.transport.request('events:ack', trimmed ? { id, note: trimmed } : { id }),
        )
        if (res.ok) replace(res.value.event)
        return res
      },

      applyEvent(event) {
        if (get().events.some((e) => e.id === event.id)) return
        set({
          events: sortEvents([event, ...get().events]).slice(0, MAX_EVENTS),
          unackedCount: get().unackedCount + (event.ackedAt === null ? 1 : 0),
        })
        if (!get().settings.muted) deps.alert?.(event)
      },

      applyEventAcked: replace,

      requestAck: (ackTarget) => set({ ackTarget }),
    }
  }
