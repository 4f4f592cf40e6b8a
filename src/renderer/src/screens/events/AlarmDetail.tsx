/** The selected alarm: what and where, who did what, the moment (chart, pictures, clips), the actions. */
import type { Alarm, AlarmDetail as Detail } from '../../../../shared/contract'
import { Badge, Button } from '../../components/ui'
import type { AlarmDialogKind } from '../../store/alarms-slice'
import { dateTime } from '../../util/format'
import { AlarmMoment } from './AlarmMoment'
import { historyText, SEVERITY_TONE, sourceText, stateText } from './alarm-text'

export function AlarmDetail({
  alarm,
  detail,
  onAction,
}: {
  alarm: Alarm
  detail: Detail | null
  onAction(kind: AlarmDialogKind): void
}) {
  const open = alarm.state !== 'cleared'
  return (
    <section className="alarm-detail" aria-label="Selected alarm" data-testid="alarm-detail">
      <header className="alarm-detail-head">
        <Badge tone={SEVERITY_TONE[alarm.severity] ?? 'muted'}>{alarm.severity}</Badge>
        <h2>{alarm.ruleName}</h2>
      </header>
      <p className="alarm-message">{alarm.message}</p>
      <dl className="alarm-facts">
        <dt>Where</dt>
        <dd>{sourceText(alarm)}</dd>
        <dt>Started</dt>
        <dd>{dateTime(alarm.openedAt)}</dd>
        <dt>Now</dt>
        <dd data-testid="alarm-detail-state">{stateText(alarm)}</dd>
        {alarm.ackNote ? (
          <>
            <dt>Note</dt>
            <dd data-testid="alarm-ack-note">“{alarm.ackNote}”</dd>
          </>
        ) : null}
        {alarm.assignedTo ? (
          <>
            <dt>Assigned to</dt>
            <dd>{alarm.assignedTo}</dd>
          </>
        ) : null}
        {alarm.siren ? (
          <>
            <dt>Siren</dt>
            <dd>
              {alarm.siren.deviceId}: {alarm.siren.status}
              {alarm.siren.error ? ` (${alarm.siren.error})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="alarm-actions">
        {alarm.state === 'active' ? (
          <Button tone="primary" onClick={() => onAction('ack')} data-testid="alarm-ack">
            Acknowledge (A)
          </Button>
        ) : null}
        <Button onClick={() => onAction('note')} data-testid="alarm-add-note">
          Add note (N)
        </Button>
        {open ? (
          <>
            <Button onClick={() => onAction('assign')} data-testid="alarm-assign">
              Assign (G)
            </Button>
            <Button onClick={() => onAction('resolve')} data-testid="alarm-resolve">
              Resolve (R)
            </Button>
          </>
        ) : null}
      </div>
      <AlarmMoment alarm={alarm} />
      <h3>History</h3>
      {detail ? (
        <ol className="alarm-history" data-testid="alarm-history">
          {detail.history.map((h, i) => (
            <li key={i}>
              <span className="muted">{dateTime(h.at)}</span> {historyText(h.kind)}
              {h.actor ? ` by ${h.actor}` : ''}
              {h.note ? `: “${h.note}”` : ''}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">Loading the history…</p>
      )}
    </section>
  )
}
