/** Login until signed in, then the app. Session expiry returns here, keeping layout and settings. */
import { Shell } from './components/Shell'
import { Login } from './screens/Login'
import { useStation } from './store/context'

export function App() {
  const status = useStation((s) => s.session.status)
  if (status === 'restoring') {
    return (
      <p className="loading splash" role="status">
        Connecting to the station…
      </p>
    )
  }
  return status === 'signedIn' ? <Shell /> : <Login />
}
