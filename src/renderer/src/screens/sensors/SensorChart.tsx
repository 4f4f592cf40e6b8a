/**
 * One sensor's chart: bucketed history from the station for the chosen range, then live readings
 * appended straight into uPlot (redrawn at most once per animation frame), for rolling ranges.
 */
import { useEffect, useRef, useState } from 'react'
import type uPlot from 'uplot'
import { TimeChart } from '../../components/TimeChart'
import { useDeps } from '../../store/context'
import { bucketFor, SeriesBuffer } from '../../store/series-buffer'
import { errorMessage } from '../../store/types'

export interface ChartRange {
  /** Rolling window (ms) ending now, or a fixed span. */
  windowMs?: number
  from?: number
  to?: number
}

export function SensorChart({
  deviceId,
  sensor,
  unit,
  range,
}: {
  deviceId: string
  sensor: string
  unit: string
  range: ChartRange
}) {
  const deps = useDeps()
  const [info, setInfo] = useState<string>('Loading history…')
  const chart = useRef<uPlot | null>(null)
  const rangeKey = `${range.windowMs ?? ''}:${range.from ?? ''}:${range.to ?? ''}`

  useEffect(() => {
    const u = chart.current
    if (!u) return
    const buf = new SeriesBuffer()
    let frame = 0
    let alive = true
    const redraw = () => {
      frame = 0
      if (alive) u.setData(buf.data())
    }
    const schedule = () => {
      frame ||= requestAnimationFrame(redraw)
    }
    const now = Date.now()
    const from = range.windowMs ? now - range.windowMs : (range.from ?? now - 3_600_000)
    const to = range.windowMs ? now : (range.to ?? now)
    const bucket = bucketFor(to - from)
    // Live points that arrive while the history loads are kept and appended after it.
    const early: { ts: number; value: number }[] = []
    let loaded = false
    const off = range.windowMs
      ? deps.readings.on(deviceId, sensor, (p) => {
          if (!loaded) return void early.push(p)
          if (buf.append(p.ts, p.value)) {
            buf.trimBefore(Date.now() - range.windowMs!)
            schedule()
          }
        })
      : () => {}
    deps.transport
      .request('devices:readings', { id: deviceId, sensor, from, to, bucket, limit: 10_000 })
      .then((res) => {
        if (!alive) return
        buf.load(res.buckets ?? res.readings ?? [])
        loaded = true
        for (const p of early) buf.append(p.ts, p.value)
        setInfo(`${res.total.toLocaleString()} readings in range · ${Math.round(bucket / 1000)} s buckets`)
        u.setData(buf.data())
      })
      .catch((err) => alive && setInfo(`History unavailable: ${errorMessage(err)}`))
    return () => {
      alive = false
      off()
      if (frame) cancelAnimationFrame(frame)
    }
  }, [deps, deviceId, sensor, rangeKey])

  return (
    <div className="sensor-chart" data-testid="sensor-chart" data-sensor={sensor}>
      <div className="sensor-chart-head">
        <h3>{sensor}</h3>
        <span className="muted">{info}</span>
      </div>
      <TimeChart
        ariaLabel={`${sensor} over time`}
        testId="uplot-chart"
        series={[
          { label: `${sensor} avg`, stroke: '#5aa9ff', unit },
          { label: 'min', stroke: 'rgba(90,169,255,0.35)', width: 1, unit },
          { label: 'max', stroke: 'rgba(90,169,255,0.35)', width: 1, unit },
        ]}
        onReady={(u) => {
          chart.current = u
          return () => {
            chart.current = null
          }
        }}
      />
    </div>
  )
}
