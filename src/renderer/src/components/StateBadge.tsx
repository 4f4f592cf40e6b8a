/** A device's online badge that never claims more than the station told recently (util/honest-state.ts). */
import { useNow } from '../hooks/useNow'
import { useStation } from '../store/context'
import { deviceBadge } from '../util/honest-state'
import { Badge } from './ui'

export function DeviceStateBadge({ online }: { online: boolean }) {
  const lostAt = useStation((s) => s.lostAt)
  const now = useNow(30_000)
  const b = deviceBadge(online, now, lostAt)
  return (
    <Badge tone={b.tone}>
      <span data-testid="device-state" data-state={b.state}>
        {b.text}
      </span>
    </Badge>
  )
}
