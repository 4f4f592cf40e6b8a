/** A camera's state badge outside its tile (the admin list): what the station confirmed, and when. */
import type { Camera } from '../../../../shared/schemas/entities'
import { Badge } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStation } from '../../store/context'
import { cameraBadge } from '../../util/honest-state'

export function CameraStateBadge({ camera }: { camera: Camera }) {
  const lostAt = useStation((s) => s.lostAt)
  const live = useStation((s) => s.cameraConfirmed[camera.id])
  const now = useNow(5000)
  const confirmedAt = Math.max(camera.confirmedAt ?? 0, live ?? 0) || null
  const b = cameraBadge({ ...camera, confirmedAt }, now, lostAt)
  return (
    <Badge tone={b.tone}>
      <span data-testid="camera-state" data-state={b.state}>
        {b.text}
      </span>
    </Badge>
  )
}
