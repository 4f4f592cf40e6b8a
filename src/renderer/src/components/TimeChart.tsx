/**
 * A uPlot time chart. React only mounts it; data goes in imperatively (`onReady` hands over the chart),
 * so live points never pass through React state. Resizes with its container.
 */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface ChartSeries {
  label: string
  stroke: string
  fill?: string
  width?: number
  /** Unit shown in the legend values. */
  unit?: string
}

export interface TimeChartProps {
  series: ChartSeries[]
  height?: number
  /** Called once with the chart; the returned function runs on unmount. */
  onReady: (u: uPlot) => (() => void) | void
  testId?: string
  ariaLabel: string
}

const AXIS = { stroke: '#9aa4b2', grid: { stroke: '#232a35', width: 1 }, ticks: { stroke: '#232a35' } }

export function TimeChart({ series, height = 220, onReady, testId, ariaLabel }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null)
  const ready = useRef(onReady)
  ready.current = onReady
  const key = series.map((s) => s.label).join('|')

  useEffect(() => {
    const el = box.current
    if (!el) return
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [AXIS, { ...AXIS, size: 60 }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          fill: s.fill,
          width: s.width ?? 2,
          points: { show: false },
          value: (_u: uPlot, v: number | null) =>
            v === null || v === undefined ? '–' : `${v.toFixed(2)}${s.unit ? ` ${s.unit}` : ''}`,
        })),
      ],
    }
    const empty: uPlot.AlignedData = [[], ...series.map(() => [])]
    const u = new uPlot(opts, empty, el)
    const cleanup = ready.current(u)
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }))
    ro.observe(el)
    return () => {
      ro.disconnect()
      cleanup?.()
      u.destroy()
    }
    // The chart is rebuilt only when its series change.
    // (`series` objects are recreated by callers on each render; `key` names them.)
  }, [key, height])

  return <div ref={box} className="chart" data-testid={testId} role="img" aria-label={ariaLabel} />
}
