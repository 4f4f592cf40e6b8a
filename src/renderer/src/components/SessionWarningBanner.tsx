/**
 * Warns the guard before their sign-in ends: after a while with nothing done ("Stay signed in" renews
 * it), or at the longest a sign-in may last (nothing renews it: sign in again). When the warning falls
 * due, and again at the end, it asks the station first: an action may have renewed the session meanwhile.
 */
import { useEffect } from 'react'
import { useNow } from '../hooks/useNow'
import { useStationShallow } from '../store/context'
import { clockTime } from '../util/format'
import { sessionWarning, timeLeft } from './session-warning'
import { Button } from './ui'

export function SessionWarningBanner() {
  const s = useStationShallow((s) => ({
    ends: s.session.ends,
    checkSession: s.checkSession,
    renewSession: s.renewSession,
  }))
  const now = useNow()
  const w = sessionWarning(s.ends, now)
  const due = w.kind !== 'none'
  const over = due && w.leftMs === 0
  const endsAt = s.ends?.expiresAt
  useEffect(() => {
    if (due) void s.checkSession()
  }, [due, over, endsAt, s.checkSession])
  if (w.kind === 'none') return null
  if (w.kind === 'longest') {
    return (
      <div className="banner banner-warn" role="alert" data-testid="session-warning">
        <strong>You will be signed out at {clockTime(w.endsAt)}</strong> (in {timeLeft(w.leftMs)}): that is
        the longest a sign-in can last. Sign in again then; your layout is kept.
      </div>
    )
  }
  return (
    <div className="banner banner-warn toolbar" role="alert" data-testid="session-warning">
      <span>
        <strong>You will be signed out in {timeLeft(w.leftMs)}</strong> because nothing has been done on this
        screen for a while.
      </span>
      <Button onClick={() => void s.renewSession()} data-testid="session-stay">
        Stay signed in
      </Button>
    </div>
  )
}
