/** The signed-in app: navigation, the connection and sign-in warning banners, the current screen, keyboard shortcuts. */
import { useMemo } from 'react'
import { eventNeedsAck } from '../../../shared/constants'
import { useHashView } from '../hooks/useHashView'
import { useShortcuts } from '../hooks/useShortcuts'
import { AdminScreen } from '../screens/admin/AdminScreen'
import { BuzzersScreen } from '../screens/buzzers/BuzzersScreen'
import { CamerasScreen } from '../screens/cameras/CamerasScreen'
import { EventsScreen } from '../screens/events/EventsScreen'
import { PlaybackScreen } from '../screens/playback/PlaybackScreen'
import { ReportsScreen } from '../screens/reports/ReportsScreen'
import { SensorsScreen } from '../screens/sensors/SensorsScreen'
import { StatsScreen } from '../screens/stats/StatsScreen'
import { useStationApi, useStationShallow } from '../store/context'
import { orderCameras } from '../store/settings-slice'
import { ConnectionBanner } from './ConnectionBanner'
import { Forbidden } from './Forbidden'
import { Nav } from './Nav'
import { SessionWarningBanner } from './SessionWarningBanner'

export function Shell() {
  const store = useStationApi()
  const s = useStationShallow((s) => ({
    view: s.settings.view,
    role: s.session.user?.role,
    setView: s.setView,
  }))
  useHashView()
  const handlers = useMemo(
    () => ({
      onAcknowledge() {
        const st = store.getState()
        if (st.settings.view !== 'events') st.setView('events')
        // An alarm first: the selected one if it waits, else the loudest waiting (the list's order).
        const selected = st.alarms.find((a) => a.id === st.selectedAlarm && a.state === 'active')
        const alarm = selected ?? st.alarms.find((a) => a.state === 'active')
        if (alarm) {
          if (alarm.id !== st.selectedAlarm) st.selectAlarm(alarm.id)
          st.openAlarmDialog('ack')
          return
        }
        const newest = st.events.find(eventNeedsAck)
        if (newest) st.requestAck(newest.id)
      },
      onFullscreen() {
        const st = store.getState()
        if (st.settings.fullscreenCamera !== null) return st.openFullscreen(null)
        const focused = document.activeElement?.closest<HTMLElement>('[data-camera-id]')
        const id = focused
          ? Number(focused.dataset.cameraId)
          : orderCameras(
              st.cameras.filter((c) => c.enabled),
              st.settings.cameraOrder,
            )[0]?.id
        if (id === undefined) return
        if (st.settings.view !== 'cameras') st.setView('cameras')
        st.openFullscreen(id)
      },
    }),
    [store],
  )
  useShortcuts(handlers)

  const adminView = s.view === 'stats' || s.view === 'admin'
  const screen =
    adminView && s.role !== 'admin' ? (
      <Forbidden onBack={() => s.setView('cameras')} />
    ) : s.view === 'cameras' ? (
      <CamerasScreen />
    ) : s.view === 'playback' ? (
      <PlaybackScreen />
    ) : s.view === 'sensors' ? (
      <SensorsScreen />
    ) : s.view === 'buzzers' ? (
      <BuzzersScreen />
    ) : s.view === 'events' ? (
      <EventsScreen />
    ) : s.view === 'reports' ? (
      <ReportsScreen />
    ) : s.view === 'stats' ? (
      <StatsScreen />
    ) : (
      <AdminScreen />
    )

  return (
    <div className="shell">
      <Nav />
      <main className="main" data-testid={`screen-${s.view}`}>
        <ConnectionBanner />
        <SessionWarningBanner />
        {screen}
      </main>
    </div>
  )
}
