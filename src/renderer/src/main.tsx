/// <reference types="vite/client" />
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createAlert } from './bootstrap/alerts'
import { createTransport, wsOrigin } from './bootstrap/transport'
import { StoreProvider } from './store/context'
import { createStationStore } from './store/create-store'
import { ReadingBus } from './store/reading-bus'
import { StatsSeries } from './store/stats-series'
import { StreamTokens } from './video/stream-tokens'
import './styles.css'

const transport = createTransport()
let wantsDesktop = () => true
const station = createStationStore({
  transport,
  storage: localStorage,
  sessionStorage,
  readings: new ReadingBus(),
  series: new StatsSeries(),
  video: { wsBaseUrl: wsOrigin(), tokens: new StreamTokens(transport) },
  alert: createAlert(() => wantsDesktop()),
})
wantsDesktop = () => station.store.getState().settings.desktopNotifications
void station.store.getState().restoreSession()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider value={station}>
      <App />
    </StoreProvider>
  </StrictMode>,
)
