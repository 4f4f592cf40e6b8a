/**
 * The shift report: the last 12 hours or a chosen range, opened as a printable page (in a new tab) or
 * downloaded as a PDF. The station makes both (`GET /api/reports/handover`); a short-lived stream token
 * lets a plain link open them.
 */
import { useState } from 'react'
import { Button, ErrorText } from '../../components/ui'
import { fromLocalInput } from '../admin/audit-view'
import { useTokenUrl } from '../playback/playback-source'

const HOUR = 3_600_000

export function HandoverPanel() {
  const tokenUrl = useTokenUrl()
  const [custom, setCustom] = useState(false)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [error, setError] = useState<string | null>(null)

  const range = (): { from: number; to: number } | null => {
    if (!custom) {
      const now = Date.now()
      return { from: now - 12 * HOUR, to: now }
    }
    const f = fromLocalInput(from)
    const t = fromLocalInput(to)
    if (f === undefined || t === undefined || f >= t) return null
    return { from: f, to: t }
  }

  const open = async (format: 'html' | 'pdf') => {
    const r = range()
    if (!r) return setError('Choose a start and an end, the start before the end.')
    setError(null)
    const url = await tokenUrl(`/api/reports/handover?format=${format}&from=${r.from}&to=${r.to}`)
    const a = document.createElement('a')
    a.href = url
    if (format === 'pdf') a.download = 'shift-report.pdf'
    else a.target = '_blank'
    a.rel = 'noopener'
    document.body.append(a)
    a.click()
    a.remove()
  }

  return (
    <section className="panel" aria-label="Shift report" data-testid="handover-panel">
      <h2>Shift report</h2>
      <p>Every alarm of the shift with its notes and pictures, and the areas armed and disarmed.</p>
      <div className="toolbar">
        <label className="field-inline">
          <input type="radio" name="report-range" checked={!custom} onChange={() => setCustom(false)} />
          Last 12 hours
        </label>
        <label className="field-inline">
          <input
            type="radio"
            name="report-range"
            data-testid="report-custom"
            checked={custom}
            onChange={() => setCustom(true)}
          />
          Choose times
        </label>
        {custom ? (
          <>
            <label className="field-inline">
              From
              <input
                type="datetime-local"
                data-testid="report-from"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            </label>
            <label className="field-inline">
              To
              <input
                type="datetime-local"
                data-testid="report-to"
                value={to}
                onChange={(e) => setTo(e.target.value)}
              />
            </label>
          </>
        ) : null}
      </div>
      <div className="toolbar">
        <Button tone="primary" data-testid="report-open" onClick={() => void open('html')}>
          Open printable page
        </Button>
        <Button data-testid="report-pdf" onClick={() => void open('pdf')}>
          Download PDF
        </Button>
      </div>
      <ErrorText>{error}</ErrorText>
    </section>
  )
}
