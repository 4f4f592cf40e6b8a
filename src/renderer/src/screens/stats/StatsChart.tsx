/** A live statistics chart fed from the stats series (outside React state). */
import { TimeChart, type ChartSeries } from '../../components/TimeChart'
import { useDeps } from '../../store/context'
import type { SeriesField } from '../../store/stats-series'

export function StatsChart({
  title,
  fields,
  series,
  testId,
}: {
  title: string
  fields: SeriesField[]
  series: ChartSeries[]
  testId?: string
}) {
  const { series: data } = useDeps()
  return (
    <div className="panel">
      <h2>{title}</h2>
      <TimeChart
        ariaLabel={title}
        testId={testId}
        height={180}
        series={series}
        onReady={(u) => {
          const draw = () => u.setData([data.time, ...fields.map((f) => data.columns[f])])
          draw()
          return data.onChange(draw)
        }}
      />
    </div>
  )
}
