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
  /**
   * The x-axis span (seconds since the epoch), asked on every redraw: the chart shows it whatever the
   * data covers. Default: fitted to the data.
   */
  xRange?: () => [number, number]
  /** The y-axis title (a unit). */
  yLabel?: string | undefined
  /** Draw each point when they are few and far apart (uPlot's density rule), so one reading is visible. */
  sparsePoints?: boolean
}

const AXIS = { stroke: '#9aa4b2', grid: { stroke: '#232a35', width: 1 }, ticks: { stroke: '#232a35' } }

export function TimeChart({
  series,
  height = 220,
  onReady,
  testId,
  ariaLabel,
  xRange,
  yLabel,
  sparsePoints = false,
}: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null)
  const ready = useRef(onReady)
  ready.current = onReady
  const range = useRef(xRange)
  range.current = xRange
  const fixedX = xRange !== undefined
  const key = `${series.map((s) => s.label).join('|')}|${yLabel ?? ''}|${fixedX}|${sparsePoints}`

  useEffect(() => {
    const el = box.current
    if (!el) return
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      // What the x-axis shows, on the element (for tests and tools: the canvas has no text to read).
      hooks: {
        setScale: [
          (u: uPlot, scaleKey: string) => {
            if (scaleKey !== 'x') return
            el.dataset.xMin = String(u.scales.x?.min ?? '')
            el.dataset.xMax = String(u.scales.x?.max ?? '')
          },
        ],
      },
      scales: {
        x: fixedX ? { time: true, range: () => range.current?.() ?? [0, 1] } : { time: true },
      },
      axes: [AXIS, { ...AXIS, size: 60, ...(yLabel ? { label: yLabel, labelSize: 20 } : {}) }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          fill: s.fill,
          width: s.width ?? 2,
          // Without `show`, uPlot draws points when there is room for them (sparse data).
          points: sparsePoints ? { size: 7 } : { show: false },
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
  // (`fixedX`, `yLabel` and `sparsePoints` are in `key`.)

  return <div ref={box} className="chart" data-testid={testId} role="img" aria-label={ariaLabel} />
}
