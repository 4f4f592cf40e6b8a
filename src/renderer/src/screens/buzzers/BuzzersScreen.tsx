/**
 * Buzzer controls for the devices that have a buzzer: those that said so, and those that never said what
 * they can do (older firmware: the panel says so). Devices that said they have none are left out.
 */
import { useMemo } from 'react'
import { EmptyState, Loading } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStationShallow } from '../../store/context'
import { BuzzerPanel } from './BuzzerPanel'
import { mayHaveBuzzer } from './capabilities'

export function BuzzersScreen() {
  const s = useStationShallow((s) => ({ devices: s.devices, status: s.devicesStatus }))
  const now = useNow(5000)
  const devices = useMemo(
    () =>
      s.devices
        .filter(mayHaveBuzzer)
        .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name)),
    [s.devices],
  )
  const withoutBuzzer = s.devices.length - devices.length
  if (s.status === 'loading') return <Loading what="devices" />
  const note =
    withoutBuzzer > 0 ? (
      <p className="muted" data-testid="buzzers-without">
        {withoutBuzzer === 1
          ? '1 device has no buzzer and is not shown here.'
          : `${withoutBuzzer} devices have no buzzer and are not shown here.`}
      </p>
    ) : null
  if (devices.length === 0 && withoutBuzzer > 0) {
    return (
      <EmptyState title="No buzzers" testId="buzzers-empty">
        {note}
      </EmptyState>
    )
  }
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
    <>
      {note}
      <section className="buzzers" aria-label="Buzzers">
        {devices.map((d) => (
          <BuzzerPanel key={d.id} device={d} now={now} />
        ))}
      </section>
    </>
  )
}
