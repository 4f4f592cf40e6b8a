/**
 * Station events under the alarms: those waiting for a guard (warnings and above) first. Info events
 * ("X is online") are listed only, and can be hidden; "Acknowledge all" takes every waiting one at once.
 */
import { useState } from 'react'
import { eventNeedsAck } from '../../../../shared/constants'
import type { StationEvent } from '../../../../shared/schemas/entities'
import { Badge, Button, EmptyState, ErrorText } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { ago, dateTime } from '../../util/format'
import { SEVERITY_TONE } from './alarm-text'

function EventRow({ e, now, onAck }: { e: StationEvent; now: number; onAck(id: number): void }) {
  const waiting = eventNeedsAck(e)
  return (
    <li
      className={`event${waiting ? ' event-open' : ''}`}
      data-testid="event-row"
      data-event-id={e.id}
      data-acked={e.ackedAt !== null}
      data-severity={e.severity}
    >
      <Badge tone={SEVERITY_TONE[e.severity] ?? 'muted'}>{e.severity}</Badge>
      <div className="event-body">
        <div className="event-message">{e.message}</div>
        <div className="muted">
          {dateTime(e.ts)} ({ago(e.ts, now)}) · {e.type} · {e.sourceKind} {e.sourceId}
        </div>
        {e.ackedAt !== null ? (
          <div className="event-ack" data-testid="event-ack-info">
            Acknowledged by {e.ackedBy} at {dateTime(e.ackedAt)}
            {e.ackNote ? `: “${e.ackNote}”` : ''}
          </div>
        ) : null}
      </div>
      {waiting ? (
        <Button tone="primary" onClick={() => onAck(e.id)} data-testid="ack-button">
          Acknowledge
        </Button>
      ) : null}
    </li>
  )
}

export function EventList({ now }: { now: number }) {
  const s = useStationShallow((s) => ({
    events: s.events,
    error: s.eventsError,
    unacked: s.unackedCount,
    requestAck: s.requestAck,
    ackEvents: s.ackEvents,
  }))
  const [showInfo, setShowInfo] = useState(true)
  const [bulkError, setBulkError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const shown = showInfo ? s.events : s.events.filter((e) => e.severity !== 'info')
  const waiting = shown.filter(eventNeedsAck).map((e) => e.id)
  const ackAll = async () => {
    setBusy(true)
    const res = await s.ackEvents(waiting.slice(0, 500))
    setBusy(false)
    setBulkError(res.ok ? null : res.error)
  }
  return (
    <section className="console-events" aria-label="Events">
      <div className="toolbar">
        <h2>Events</h2>
        <span className="muted" data-testid="unacked-count">
          {s.unacked} waiting
        </span>
        <label className="check">
          <input
            type="checkbox"
            checked={showInfo}
            onChange={(e) => setShowInfo(e.target.checked)}
            data-testid="events-show-info"
          />
          Show info events
        </label>
        <Button onClick={() => void ackAll()} disabled={busy || waiting.length === 0} data-testid="ack-all">
          Acknowledge all ({waiting.length})
        </Button>
      </div>
      <ErrorText>{s.error ?? bulkError}</ErrorText>
      {shown.length === 0 ? (
        <EmptyState title="No events" testId="events-empty">
          <p>Cameras or devices going offline, failed buzzer commands and overloads will show up here.</p>
        </EmptyState>
      ) : (
        <ul className="event-list" data-testid="event-list">
          {shown.map((e) => (
            <EventRow key={e.id} e={e} now={now} onAck={s.requestAck} />
          ))}
        </ul>
      )}
    </section>
  )
}
