/** Events: unacknowledged first (newest first within each group); acknowledge with a note. */
import { EmptyState, ErrorText, Badge, Button, Loading } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStationShallow } from '../../store/context'
import { ago, dateTime } from '../../util/format'
import { AckDialog } from './AckDialog'

const SEVERITY_TONE: Record<string, 'muted' | 'warn' | 'bad'> = {
  info: 'muted',
  warning: 'warn',
  critical: 'bad',
}

export function EventsScreen() {
  const s = useStationShallow((s) => ({
    events: s.events,
    status: s.eventsStatus,
    error: s.eventsError,
    unacked: s.unackedCount,
    ackTarget: s.ackTarget,
    requestAck: s.requestAck,
    muted: s.settings.muted,
    desktop: s.settings.desktopNotifications,
    setMuted: s.setMuted,
    setDesktop: s.setDesktopNotifications,
  }))
  const now = useNow(5000)
  const target = s.ackTarget === null ? undefined : s.events.find((e) => e.id === s.ackTarget)

  if (s.status === 'loading') return <Loading what="events" />
  return (
    <section className="events" aria-label="Events">
      <div className="toolbar">
        <h1>Events</h1>
        <span className="muted" data-testid="unacked-count">
          {s.unacked} unacknowledged
        </span>
        <span className="toolbar-hint">A: acknowledge the newest</span>
        <label className="check">
          <input
            type="checkbox"
            checked={!s.muted}
            onChange={(e) => s.setMuted(!e.target.checked)}
            data-testid="alerts-sound"
          />
          Sound for new events
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.desktop}
            disabled={s.muted}
            onChange={(e) => s.setDesktop(e.target.checked)}
            data-testid="alerts-desktop"
          />
          Desktop notifications
        </label>
      </div>
      <ErrorText>{s.error}</ErrorText>
      {s.events.length === 0 ? (
        <EmptyState title="No events" testId="events-empty">
          <p>
            Cameras or devices going offline, failed buzzer commands and overloads will show up here, with a
            sound.
          </p>
        </EmptyState>
      ) : (
        <ul className="event-list" data-testid="event-list">
          {s.events.map((e) => (
            <li
              key={e.id}
              className={`event${e.ackedAt === null ? ' event-open' : ''}`}
              data-testid="event-row"
              data-event-id={e.id}
              data-acked={e.ackedAt !== null}
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
              {e.ackedAt === null ? (
                <Button tone="primary" onClick={() => s.requestAck(e.id)} data-testid="ack-button">
                  Acknowledge
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {target ? <AckDialog key={target.id} event={target} onClose={() => s.requestAck(null)} /> : null}
    </section>
  )
}
