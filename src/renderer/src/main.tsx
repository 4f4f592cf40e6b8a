/// <reference types="vite/client" />
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createAlarmSound } from './bootstrap/alarm-sound'
import { beep, createAlarmAlert, createAlert } from './bootstrap/alerts'
import { createTransport, wsOrigin } from './bootstrap/transport'
import { StoreProvider } from './store/context'
import { createStationStore } from './store/create-store'
import { ReadingBus } from './store/reading-bus'
import { StatsSeries } from './store/stats-series'
import { StreamTokens } from './video/stream-tokens'
import './styles.css'

const transport = createTransport()
let wantsDesktop = () => true
const settings = () => station.store.getState().settings
const station = createStationStore({
  transport,
  storage: localStorage,
  sessionStorage,
  readings: new ReadingBus(),
  series: new StatsSeries(),
  video: { wsBaseUrl: wsOrigin(), tokens: new StreamTokens(transport) },
  alert: createAlert(() => wantsDesktop()),
  onNewAlarm: createAlarmAlert({
    muted: () => settings().muted,
    desktop: () => settings().desktopNotifications,
    raiseForCritical: () => settings().raiseForCritical,
  }),
})
wantsDesktop = () => station.store.getState().settings.desktopNotifications
document.documentElement.dataset.alarmSound = 'off'
// The alarm sound repeats while an alarm waits on any desk; it follows the live state and this desk's mute.
const alarmSound = createAlarmSound({
  play: beep,
  setInterval: (fn, ms) => window.setInterval(fn, ms),
  clearInterval: (h) => window.clearInterval(h as number),
  onChange: (severity) => (document.documentElement.dataset.alarmSound = severity ?? 'off'),
})
station.store.subscribe((s, prev) => {
  if (s.alarms !== prev.alarms || s.settings.muted !== prev.settings.muted || s.session !== prev.session)
    alarmSound.update(s.session.status === 'signedIn' ? s.alarms : [], s.settings.muted)
})
void station.store.getState().restoreSession()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider value={station}>
      <App />
    </StoreProvider>
  </StrictMode>,
)
