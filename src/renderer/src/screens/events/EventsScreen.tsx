/**
 * The alarm console ("Alarms & events"): active alarms first by severity, the selected one's detail (its
 * source, the sensor chart around the moment, snapshots and clips, its history) and the workflow
 * (acknowledge, note, assign, resolve), keyboard first; station events below.
 */
import { EmptyState, ErrorText, Loading } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStationShallow } from '../../store/context'
import { AckDialog } from './AckDialog'
import { AlarmDetail } from './AlarmDetail'
import { AlarmDialog } from './AlarmDialog'
import { AlarmList } from './AlarmList'
import { ConsoleToolbar } from './ConsoleToolbar'
import { EventList } from './EventList'
import './console.css'

export function EventsScreen() {
  const s = useStationShallow((s) => ({
    events: s.events,
    eventsStatus: s.eventsStatus,
    ackTarget: s.ackTarget,
    requestAck: s.requestAck,
    alarms: s.alarms,
    alarmsStatus: s.alarmsStatus,
    alarmsError: s.alarmsError,
    selected: s.selectedAlarm,
    detail: s.alarmDetail,
    dialog: s.alarmDialog,
    select: s.selectAlarm,
    openDialog: s.openAlarmDialog,
    me: s.session.user?.username,
  }))
  const now = useNow(5000)
  const target = s.ackTarget === null ? undefined : s.events.find((e) => e.id === s.ackTarget)
  const alarm = s.alarms.find((a) => a.id === s.selected)
  const colleagues = [
    ...new Set(
      [s.me, ...s.alarms.flatMap((a) => [a.ackedBy, a.assignedTo, a.clearedBy])].filter(
        (n): n is string => typeof n === 'string' && n !== '',
      ),
    ),
  ].sort()

  if (s.eventsStatus === 'loading' && s.alarmsStatus === 'loading') return <Loading what="alarms" />
  return (
    <section className="console" aria-label="Alarms and events">
      <ConsoleToolbar />
      <ErrorText>{s.alarmsError}</ErrorText>
      {s.alarms.length === 0 ? (
        <EmptyState title="No alarms" testId="alarms-empty">
          <p>
            Alarms raised by the site's rules show up here, loudest first, with a sound until someone
            acknowledges them.
          </p>
        </EmptyState>
      ) : (
        <div className="console-alarms">
          <AlarmList alarms={s.alarms} selected={s.selected} now={now} onSelect={s.select} />
          {alarm ? (
            <AlarmDetail
              alarm={alarm}
              detail={s.detail?.id === alarm.id ? s.detail : null}
              onAction={s.openDialog}
            />
          ) : (
            <p className="alarm-detail muted">
              Pick an alarm (J and K, or the arrow keys) to see what happened.
            </p>
          )}
        </div>
      )}
      <EventList now={now} />
      {target ? <AckDialog key={target.id} event={target} onClose={() => s.requestAck(null)} /> : null}
      {alarm && s.dialog ? (
        <AlarmDialog
          key={`${alarm.id}-${s.dialog}`}
          alarm={alarm}
          kind={s.dialog}
          colleagues={colleagues}
          onClose={() => s.openDialog(null)}
        />
      ) : null}
    </section>
  )
}
