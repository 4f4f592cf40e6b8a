/** Devices with online state, last seen and whether they have a buzzer; the selected one's sensors and charts show beside it. */
import type { Device, SensorLatest } from '../../../../shared/schemas/entities'
import { Badge } from '../../components/ui'
import { ago, reading } from '../../util/format'
import { DeviceStateBadge } from '../../components/StateBadge'

export function DeviceList({
  devices,
  latest,
  selected,
  onSelect,
  now,
}: {
  devices: Device[]
  /** Latest value per sensor, for devices the page has heard about. */
  latest: Record<string, Record<string, SensorLatest>>
  selected: string | null
  onSelect: (id: string) => void
  now: number
}) {
  return (
    <ul className="device-list" aria-label="Devices" data-testid="device-list">
      {devices.map((d) => (
        <li key={d.id}>
          <button
            type="button"
            className={`device-item${d.id === selected ? ' active' : ''}`}
            aria-current={d.id === selected ? 'true' : undefined}
            data-testid="device-item"
            data-device-id={d.id}
            onClick={() => onSelect(d.id)}
          >
            <span className="device-name">{d.name}</span>
            <DeviceStateBadge online={d.online} />
            {d.capabilities?.includes('buzzer') ? (
              <Badge tone="muted" title="This device has a buzzer (see Buzzers)">
                Buzzer
              </Badge>
            ) : null}
            <span className="muted">seen {ago(d.lastSeenAt, now)}</span>
            <span className="device-values">
              {Object.values(latest[d.id] ?? {})
                .sort((a, b) => a.sensor.localeCompare(b.sensor))
                .map((x) => `${x.sensor} ${reading(x.value, x.unit)}`)
                .join(' · ')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  )
}
