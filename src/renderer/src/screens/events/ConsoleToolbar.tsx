/** The console's header: what waits, this desk's sound and notification settings, the shortcuts. */
import { Button } from '../../components/ui'
import { activeAlarms } from '../../store/alarms-slice'
import { useStationShallow } from '../../store/context'

export const CONSOLE_SHORTCUTS: [string, string][] = [
  ['J / K or ↓ / ↑', 'next / previous alarm'],
  ['A', 'acknowledge'],
  ['N', 'add a note'],
  ['G', 'assign'],
  ['R', 'resolve'],
  ['Enter', 'confirm'],
  ['Esc', 'close'],
]

export function ConsoleToolbar() {
  const s = useStationShallow((s) => ({
    waiting: activeAlarms(s.alarms).length,
    muted: s.settings.muted,
    desktop: s.settings.desktopNotifications,
    raise: s.settings.raiseForCritical,
    setMuted: s.setMuted,
    setDesktop: s.setDesktopNotifications,
    setRaise: s.setRaiseForCritical,
  }))
  return (
    <div className="console-head">
      <div className="toolbar">
        <h1>Alarms &amp; events</h1>
        <span className="muted" data-testid="alarms-waiting">
          {s.waiting === 0 ? 'No alarm waiting' : `${s.waiting} alarm${s.waiting === 1 ? '' : 's'} waiting`}
        </span>
        {s.muted ? (
          <span className="sound-muted" role="status" data-testid="sound-muted">
            Sound muted on this desk
          </span>
        ) : null}
        <Button onClick={() => s.setMuted(!s.muted)} aria-pressed={s.muted} data-testid="console-mute">
          {s.muted ? 'Turn sound on' : 'Mute sound'}
        </Button>
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
        <label className="check">
          <input
            type="checkbox"
            checked={s.raise}
            onChange={(e) => s.setRaise(e.target.checked)}
            data-testid="alerts-raise"
          />
          Critical alarms bring this window to the front
        </label>
      </div>
      <ul className="console-shortcuts" aria-label="Keyboard shortcuts" data-testid="console-shortcuts">
        {CONSOLE_SHORTCUTS.map(([keys, what]) => (
          <li key={keys}>
            <kbd>{keys}</kbd> {what}
          </li>
        ))}
      </ul>
    </div>
  )
}
