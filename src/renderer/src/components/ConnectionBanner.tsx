/** Says plainly when the live connection to the station is down, since when data is stale, and when it retries. */
import { useNow } from '../hooks/useNow'
import { useStationShallow } from '../store/context'
import { ago, clockTime } from '../util/format'

export function ConnectionBanner() {
  const c = useStationShallow((s) => ({
    state: s.connection.state,
    last: Math.max(s.connection.lastMessageAt ?? 0, s.session.loadedAt ?? 0) || null,
    retryAt: s.connection.retryAt,
  }))
  const now = useNow()
  if (c.state !== 'reconnecting') return null
  const retry =
    c.retryAt && c.retryAt > now
      ? ` · retrying in ${Math.ceil((c.retryAt - now) / 1000)} s`
      : ' · reconnecting…'
  return (
    <div className="banner banner-bad" role="alert" data-testid="connection-lost">
      <strong>Connection to the station lost.</strong> What you see may be out of date
      {c.last ? ` · last updated ${clockTime(c.last)} (${ago(c.last, now)})` : ''}
      {retry}
    </div>
  )
}
