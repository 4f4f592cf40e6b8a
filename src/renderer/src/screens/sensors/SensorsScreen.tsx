/** Sensors: the device list, and for the selected device its latest values and a live chart per sensor. */
import { useEffect, useMemo } from 'react'
import { ErrorText, Loading } from '../../components/ui'
import { useNow } from '../../hooks/useNow'
import { useStationShallow } from '../../store/context'
import { RANGE_MS } from '../../store/settings-slice'
import { ago, reading } from '../../util/format'
import { DeviceList } from './DeviceList'
import { DeviceSetupHelp } from './DeviceSetupHelp'
import { RangePicker } from './RangePicker'
import { noSensorsText } from './chart-view'
import { SensorChart, type ChartRange } from './SensorChart'
import { DeviceStateBadge } from '../../components/StateBadge'

export function SensorsScreen() {
  const s = useStationShallow((s) => ({
    devices: s.devices,
    status: s.devicesStatus,
    error: s.devicesError,
    latest: s.latest,
    selected: s.settings.selectedDevice,
    range: s.settings.range,
    custom: s.settings.customRange,
    selectDevice: s.selectDevice,
    setRange: s.setRange,
    loadDevice: s.loadDevice,
  }))
  const now = useNow()
  const devices = useMemo(() => [...s.devices].sort((a, b) => a.name.localeCompare(b.name)), [s.devices])
  const selectedId =
    s.selected && devices.some((d) => d.id === s.selected) ? s.selected : (devices[0]?.id ?? null)
  const device = devices.find((d) => d.id === selectedId)
  const loadDevice = s.loadDevice

  useEffect(() => {
    if (selectedId) void loadDevice(selectedId)
  }, [selectedId, loadDevice])

  if (s.status === 'loading') return <Loading what="devices" />
  if (devices.length === 0) {
    return (
      <section className="sensors">
        <ErrorText>{s.error}</ErrorText>
        <DeviceSetupHelp />
      </section>
    )
  }

  const loaded = selectedId !== null && s.latest[selectedId] !== undefined
  const sensors = Object.values((selectedId && s.latest[selectedId]) || {}).sort((a, b) =>
    a.sensor.localeCompare(b.sensor),
  )
  const range: ChartRange =
    s.range === 'custom' ? { from: s.custom?.from, to: s.custom?.to } : { windowMs: RANGE_MS[s.range] }

  return (
    <section className="sensors" aria-label="Sensors">
      <DeviceList
        devices={devices}
        latest={s.latest}
        selected={selectedId}
        onSelect={s.selectDevice}
        now={now}
      />
      <div className="device-detail">
        {device ? (
          <>
            <div className="toolbar">
              <h1>{device.name}</h1>
              <DeviceStateBadge online={device.online} />
              <span className="muted">
                {device.id} · last seen {ago(device.lastSeenAt, now)}
              </span>
              <RangePicker range={s.range} custom={s.custom} onChange={s.setRange} />
            </div>
            <ErrorText>{s.error}</ErrorText>
            {sensors.length === 0 ? (
              <p className="muted" data-testid="no-sensors">
                {noSensorsText(loaded, s.error)}
              </p>
            ) : (
              <>
                <div className="latest" data-testid="latest-values">
                  {sensors.map((x) => (
                    <div key={x.sensor} className="latest-value" data-sensor={x.sensor}>
                      <span className="latest-name">{x.sensor}</span>
                      <span className="latest-number">{reading(x.value, x.unit)}</span>
                      <span className="muted">{ago(x.ts, now)}</span>
                    </div>
                  ))}
                </div>
                {sensors.map((x) => (
                  <SensorChart
                    key={`${device.id}/${x.sensor}`}
                    deviceId={device.id}
                    sensor={x.sensor}
                    unit={x.unit}
                    range={range}
                    latestTs={x.ts}
                  />
                ))}
              </>
            )}
          </>
        ) : null}
      </div>
    </section>
  )
}
