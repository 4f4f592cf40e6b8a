/**
 * The navigation rail: screens (admin ones only for admins), the console's badge (alarms nobody has
 * acknowledged plus events waiting: warnings and above), this desk's mute, sign out.
 */
import { useStationShallow } from '../store/context'
import { activeAlarms } from '../store/alarms-slice'
import type { View } from '../store/settings-slice'

const ITEMS: { view: View; label: string; admin?: boolean }[] = [
  { view: 'cameras', label: 'Cameras' },
  { view: 'playback', label: 'Playback' },
  { view: 'sensors', label: 'Sensors' },
  { view: 'buzzers', label: 'Buzzers' },
  { view: 'events', label: 'Alarms & events' },
  { view: 'reports', label: 'Reports' },
  { view: 'stats', label: 'Statistics', admin: true },
  { view: 'admin', label: 'Admin', admin: true },
]

export function Nav() {
  const s = useStationShallow((s) => ({
    view: s.settings.view,
    muted: s.settings.muted,
    unacked: s.unackedCount + activeAlarms(s.alarms).length,
    lost: s.lostAt !== null,
    user: s.session.user,
    setView: s.setView,
    setMuted: s.setMuted,
    logout: s.logout,
  }))
  const admin = s.user?.role === 'admin'
  return (
    <nav className="nav" aria-label="Screens">
      <div className="nav-brand">Guard Station</div>
      <ul>
        {ITEMS.filter((i) => !i.admin || admin).map((i) => (
          <li key={i.view}>
            <button
              type="button"
              className={`nav-item${s.view === i.view ? ' active' : ''}`}
              aria-current={s.view === i.view ? 'page' : undefined}
              data-testid={`nav-${i.view}`}
              onClick={() => s.setView(i.view)}
            >
              {i.label}
              {i.view === 'events' && s.unacked > 0 ? (
                <span
                  className={`nav-badge${s.lost ? ' nav-badge-unknown' : ''}`}
                  data-testid="events-badge"
                  aria-label={`${s.unacked} unacknowledged${s.lost ? ' when last heard from the station' : ''}`}
                  title={s.lost ? 'The station cannot be reached: there may be more' : undefined}
                >
                  {s.unacked > 99 ? '99+' : s.unacked}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      <div className="nav-foot">
        <button
          type="button"
          className="nav-item"
          aria-pressed={s.muted}
          data-testid="mute-toggle"
          onClick={() => s.setMuted(!s.muted)}
          title="Sound and desktop notifications for new alarms and events on this desk"
        >
          {s.muted ? 'Alerts muted' : 'Alerts on'}
        </button>
        <div className="nav-user" data-testid="current-user">
          {s.user?.username} · {s.user?.role}
        </div>
        <button type="button" className="nav-item" onClick={() => void s.logout()} data-testid="logout">
          Sign out
        </button>
      </div>
    </nav>
  )
}
