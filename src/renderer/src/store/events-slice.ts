/**
 * Station events: the list (those waiting for a guard first), the count of those waiting for the
 * navigation badge, acknowledgements with a note (one or many), and the alert (sound, desktop
 * notification) for new ones. Only warnings and above wait, count and sound (`eventNeedsAck`); info events
 * ("X is online") are listed only.
 */
import type { EventAckResult, EventBulkAckResult } from '../../../shared/contract'
import { eventNeedsAck } from '../../../shared/constants'
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
  /** Acknowledges every listed event still waiting (one request, one transaction). */
  ackEvents(ids: number[], note?: string): Promise<ActionResult<EventBulkAckResult>>
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

/** Those waiting for a guard first, each group newest first (the station's order). */
export function sortEvents(events: StationEvent[]): StationEvent[] {
  return [...events].sort((a, b) => {
    const ua = eventNeedsAck(a) ? 0 : 1
    const ub = eventNeedsAck(b) ? 0 : 1
    return ua !== ub ? ua - ub : b.ts - a.ts || b.id - a.id
  })
}

export const createEventsSlice =
  (deps: StoreDeps): Slice<EventsSlice> =>
  (set, get) => {
    const replace = (event: StationEvent) => {
      const before = get().events.find((e) => e.id === event.id)
      const waited = before ? eventNeedsAck(before) : false
      const events = sortEvents(
        before ? get().events.map((e) => (e.id === event.id ? event : e)) : [event, ...get().events],
      )
      const delta = waited && !eventNeedsAck(event) ? -1 : 0
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

      async ackEvents(ids, note) {
        const trimmed = note?.trim()
        const res = await attempt(() =>
          deps.transport.request('events:ackMany', trimmed ? { ids, note: trimmed } : { ids }),
        )
        if (res.ok) for (const e of res.value.events) replace(e)
        return res
      },

      applyEvent(event) {
        if (get().events.some((e) => e.id === event.id)) return
        set({
          events: sortEvents([event, ...get().events]).slice(0, MAX_EVENTS),
          unackedCount: get().unackedCount + (eventNeedsAck(event) ? 1 : 0),
        })
        if (eventNeedsAck(event) && !get().settings.muted) deps.alert?.(event)
      },

      applyEventAcked: replace,

      requestAck: (ackTarget) => set({ ackTarget }),
    }
  }
