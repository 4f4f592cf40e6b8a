/**
 * One sensor's chart: bucketed history from the station for the chosen range, then live readings
 * appended straight into uPlot (redrawn at most once per animation frame), for rolling ranges. The x-axis
 * is the chosen range ending now (it moves on by itself), the y-axis names the unit, sparse points are
 * drawn, and an empty chart says why (chart-view.ts).
 */
import { useEffect, useRef, useState } from 'react'
import type uPlot from 'uplot'
import { TimeChart } from '../../components/TimeChart'
import { useDeps } from '../../store/context'
import { bucketFor, SeriesBuffer } from '../../store/series-buffer'
import { errorMessage } from '../../store/types'
import { chartSpan, emptyChartText, xScale, yAxisLabel, type ChartRange } from './chart-view'

export type { ChartRange } from './chart-view'

export function SensorChart({
  deviceId,
  sensor,
  unit,
  range,
  latestTs,
}: {
  deviceId: string
  sensor: string
  unit: string
  range: ChartRange
  /** The sensor's latest reading (epoch ms), whatever the range; null: it never sent one. */
  latestTs: number | null
}) {
  const deps = useDeps()
  const [info, setInfo] = useState<string>('Loading history…')
  /** Points in the chart now (null while the history loads). */
  const [points, setPoints] = useState<number | null>(null)
  const chart = useRef<uPlot | null>(null)
  const rangeKey = `${range.windowMs ?? ''}:${range.from ?? ''}:${range.to ?? ''}`
  const rangeRef = useRef(range)
  rangeRef.current = range

  useEffect(() => {
    const u = chart.current
    if (!u) return
    const buf = new SeriesBuffer()
    let frame = 0
    let alive = true
    const redraw = () => {
      frame = 0
      if (!alive) return
      u.setData(buf.data())
      setPoints(buf.length)
    }
    const schedule = () => {
      frame ||= requestAnimationFrame(redraw)
    }
    const { from, to } = chartSpan(range, Date.now())
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
    // A rolling window moves on with the clock, points or not: about 300 steps across it.
    const step = range.windowMs ? Math.min(60_000, Math.max(1000, range.windowMs / 300)) : 0
    const ticker = step
      ? setInterval(() => {
          buf.trimBefore(Date.now() - range.windowMs!)
          schedule()
        }, step)
      : undefined
    deps.transport
      .request('devices:readings', { id: deviceId, sensor, from, to, bucket, limit: 10_000 })
      .then((res) => {
        if (!alive) return
        buf.load(res.buckets ?? res.readings ?? [])
        loaded = true
        for (const p of early) buf.append(p.ts, p.value)
        setInfo(
          `${res.total.toLocaleString()} ${res.total === 1 ? 'reading' : 'readings'} in range · ${Math.round(bucket / 1000)} s buckets`,
        )
        redraw()
      })
      .catch((err) => alive && setInfo(`History unavailable: ${errorMessage(err)}`))
    return () => {
      alive = false
      off()
      clearInterval(ticker)
      if (frame) cancelAnimationFrame(frame)
    }
  }, [deps, deviceId, sensor, rangeKey])

  const empty = points === null ? null : emptyChartText(points, range, latestTs, Date.now())
  return (
    <div className="sensor-chart" data-testid="sensor-chart" data-sensor={sensor}>
      <div className="sensor-chart-head">
        <h3>
          {sensor}
          {unit ? <span className="muted"> ({unit})</span> : null}
        </h3>
        <span className="muted">{info}</span>
      </div>
      {empty ? (
        <p className="muted chart-empty" data-testid="chart-empty">
          {empty}
        </p>
      ) : null}
      <TimeChart
        ariaLabel={`${sensor} over time${unit ? `, in ${unit}` : ''}`}
        testId="uplot-chart"
        xRange={() => xScale(rangeRef.current, Date.now())}
        yLabel={yAxisLabel(unit)}
        sparsePoints
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
