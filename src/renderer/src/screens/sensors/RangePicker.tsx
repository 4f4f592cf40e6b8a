/** Chart range: 5 min, 1 h, 24 h (rolling, live) or a custom span. */
import { useState } from 'react'
import { Button } from '../../components/ui'
import { RANGES, type RangeKey } from '../../store/settings-slice'

const LABELS: Record<RangeKey, string> = { '5m': '5 min', '1h': '1 h', '24h': '24 h', custom: 'Custom' }

function toInput(ts: number): string {
  const d = new Date(ts - new Date(ts).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

export function RangePicker({
  range,
  custom,
  onChange,
}: {
  range: RangeKey
  custom: { from: number; to: number } | null
  onChange: (range: RangeKey, custom?: { from: number; to: number }) => void
}) {
  const [from, setFrom] = useState(() => toInput(custom?.from ?? Date.now() - 3_600_000))
  const [to, setTo] = useState(() => toInput(custom?.to ?? Date.now()))
  const [problem, setProblem] = useState<string | null>(null)
  return (
    <div className="range-picker">
      <div className="segmented" role="group" aria-label="Chart range">
        {RANGES.map((r) => (
          <button
            key={r}
            type="button"
            className={r === range ? 'active' : ''}
            aria-pressed={r === range}
            data-testid={`range-${r}`}
            onClick={() =>
              r === 'custom'
                ? onChange('custom', custom ?? { from: Date.parse(from), to: Date.parse(to) })
                : onChange(r)
            }
          >
            {LABELS[r]}
          </button>
        ))}
      </div>
      {range === 'custom' ? (
        <form
          className="range-custom"
          onSubmit={(e) => {
            e.preventDefault()
            const f = Date.parse(from)
            const t = Date.parse(to)
            if (Number.isNaN(f) || Number.isNaN(t)) return setProblem('Enter both times.')
            if (f >= t) return setProblem('The start must be before the end.')
            setProblem(null)
            onChange('custom', { from: f, to: t })
          }}
        >
          <label>
            From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <Button type="submit">Show</Button>
          {problem ? (
            <span className="field-error" role="alert">
              {problem}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  )
}
