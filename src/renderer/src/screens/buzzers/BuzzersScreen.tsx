/** Buzzer controls for every device (seed 2). */
import { useMemo } from 'react'
import { EmptyState, Loading } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStationShallow } from '../../store/context'
import { BuzzerPanel } from './BuzzerPanel'

export function BuzzersScreen() {
  const s = useStationShallow((s) => ({ devices: s.devices, status: s.devicesStatus }))
  const now = useNow(5000)
  const devices = useMemo(
    () => [...s.devices].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name)),
    [s.devices],
  )
  if (s.status === 'loading') return <Loading what="devices" />
  if (devices.length === 0) {
    return (
      <EmptyState title="No devices yet" testId="buzzers-empty">
        <p>
          Buzzers and sirens appear here once their device has contacted the station (see Sensors for how).
        </p>
      </EmptyState>
    )
  }
  return (
    <section className="buzzers" aria-label="Buzzers">
      {devices.map((d) => (
        <BuzzerPanel key={d.id} device={d} now={now} />
      ))}
    </section>
  )
}
