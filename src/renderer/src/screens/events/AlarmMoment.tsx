/**
 * What the alarm's moment looked like: the source device's sensors from 5 minutes before to 5 minutes
 * after it opened, the camera snapshots its rule took, and the clips it recorded (opened in Playback).
 */
import { useEffect, useState } from 'react'
import type { Alarm } from '../../../../shared/contract'
import type { SensorLatest } from '../../../../shared/schemas/entities'
import { Button } from '../../components/ui'
import { useDeps, useStation } from '../../store/context'
import { dateTime } from '../../util/format'
import { SensorChart } from '../sensors/SensorChart'
import { useTokenUrl } from '../playback/playback-source'

export const MOMENT_MS = 5 * 60_000
const MAX_CHARTS = 3

function SourceCharts({ deviceId, at }: { deviceId: string; at: number }) {
  const deps = useDeps()
  const [sensors, setSensors] = useState<SensorLatest[] | null>(null)
  useEffect(() => {
    let alive = true
    deps.transport
      .request('devices:get', { id: deviceId })
      .then((d) => alive && setSensors(d.sensors))
      .catch(() => alive && setSensors([]))
    return () => {
      alive = false
    }
  }, [deps, deviceId])
  if (sensors === null) return <p className="muted">Loading the sensor chart…</p>
  if (sensors.length === 0) return <p className="muted">No sensor readings from this device.</p>
  return (
    <div className="alarm-charts" data-testid="alarm-charts">
      {sensors.slice(0, MAX_CHARTS).map((s) => (
        <SensorChart
          key={s.sensor}
          deviceId={deviceId}
          sensor={s.sensor}
          unit={s.unit}
          range={{ from: at - MOMENT_MS, to: at + MOMENT_MS }}
          latestTs={s.ts}
        />
      ))}
    </div>
  )
}

function Snapshot({
  alarmId,
  cameraId,
  at,
  name,
}: {
  alarmId: number
  cameraId: number
  at: number
  name: string
}) {
  const tokenUrl = useTokenUrl()
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    void tokenUrl(`/api/alarms/${alarmId}/snapshots/${cameraId}`).then((u) => alive && setSrc(u))
    return () => {
      alive = false
    }
  }, [tokenUrl, alarmId, cameraId])
  return (
    <figure className="alarm-snapshot" data-testid="alarm-snapshot">
      {src ? <img src={src} alt={`${name} at ${dateTime(at)}`} /> : null}
      <figcaption>
        {name} · {dateTime(at)}
      </figcaption>
    </figure>
  )
}

export function AlarmMoment({ alarm }: { alarm: Alarm }) {
  const cameras = useStation((s) => s.cameras)
  const openPlaybackAt = useStation((s) => s.openPlaybackAt)
  const cameraName = (id: number) => cameras.find((c) => c.id === id)?.name ?? `Camera ${id}`
  const { snapshots } = alarm
  const clips = alarm.recordings.filter((r) => r.error === null)
  return (
    <div className="alarm-moment">
      {alarm.sourceKind === 'device' ? <SourceCharts deviceId={alarm.sourceId} at={alarm.openedAt} /> : null}
      {snapshots.length > 0 ? (
        <div className="alarm-snapshots">
          {snapshots.map((s) => (
            <Snapshot
              key={s.cameraId}
              alarmId={alarm.id}
              cameraId={s.cameraId}
              at={s.at}
              name={cameraName(s.cameraId)}
            />
          ))}
        </div>
      ) : null}
      {alarm.recordings.length > 0 ? (
        <ul className="alarm-clips">
          {alarm.recordings.map((r) => (
            <li key={r.cameraId}>
              {r.error === null ? (
                <Button
                  onClick={() => openPlaybackAt(r.cameraId, alarm.openedAt)}
                  data-testid="alarm-open-clip"
                >
                  Watch {cameraName(r.cameraId)} recording
                </Button>
              ) : (
                <span className="muted">
                  {cameraName(r.cameraId)} was not recorded: {r.error}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {alarm.sourceKind !== 'device' && snapshots.length === 0 && clips.length === 0 ? (
        <p className="muted">No chart, picture or recording for this alarm.</p>
      ) : null}
    </div>
  )
}
