/** Admin: the audit log, filtered by time, actor and action, paged, exported as CSV. Read-only. */
import { useEffect, useState } from 'react'
import { AUDIT_ACTIONS } from '../../../../shared/audit-actions'
import { Button, ErrorText, Field, Notice } from '../../components/ui'
import { AUDIT_PAGE_SIZE, type AuditFilter } from '../../store/audit-slice'
import { useStationShallow } from '../../store/context'
import { dateTime } from '../../util/format'
import { downloadText } from '../../util/download'
import { actorLabel, changeSummary, fromLocalInput, targetLabel } from './audit-view'

const DOMAINS = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0]!))]

function AuditFilters({
  onApply,
  onExport,
}: {
  onApply: (f: AuditFilter) => void
  onExport: (f: AuditFilter) => void
}) {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [actor, setActor] = useState('')
  const [action, setAction] = useState('')
  const filter = (): AuditFilter => ({
    from: fromLocalInput(from),
    to: fromLocalInput(to),
    actor: actor.trim() || undefined,
    action: action || undefined,
  })
  return (
    <form
      className="inline-form"
      data-testid="audit-filters"
      onSubmit={(e) => {
        e.preventDefault()
        onApply(filter())
      }}
    >
      <Field label="From">
        <input
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label="From"
        />
      </Field>
      <Field label="To">
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" />
      </Field>
      <Field label="Who">
        <input
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          placeholder="username"
          aria-label="Who"
        />
      </Field>
      <Field label="Action">
        <select value={action} onChange={(e) => setAction(e.target.value)} aria-label="Action">
          <option value="">Any action</option>
          {DOMAINS.map((d) => (
            <option key={`${d}.*`} value={`${d}.*`}>
              {d}.* (all)
            </option>
          ))}
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Field>
      <Button type="submit" tone="primary">
        Apply
      </Button>
      <Button data-testid="audit-export" onClick={() => onExport(filter())}>
        Export CSV
      </Button>
    </form>
  )
}

export function AuditAdmin() {
  const s = useStationShallow((s) => ({
    entries: s.auditEntries,
    total: s.auditTotal,
    offset: s.auditOffset,
    filter: s.auditFilter,
    status: s.auditStatus,
    error: s.auditError,
    load: s.loadAudit,
    exportCsv: s.exportAudit,
  }))
  const [notice, setNotice] = useState<string | null>(null)
  const [exportError, setExportError] = useState<string | null>(null)
  const { load } = s
  useEffect(() => {
    void load({}, 0)
  }, [load])
  const exportCsv = async (f: AuditFilter) => {
    setNotice(null)
    const res = await s.exportCsv(f)
    if (!res.ok) return setExportError(res.error)
    setExportError(null)
    downloadText(res.value.filename, res.value.csv)
    setNotice(`Exported ${res.value.count} entries to ${res.value.filename}`)
  }
  const last = Math.min(s.offset + s.entries.length, s.total)
  return (
    <div className="admin-section" data-testid="admin-audit">
      <h2>Audit log</h2>
      <p className="field-hint">
        Every operator action, who did it and from where. Entries cannot be changed or removed; each is
        chained to the one before it by a hash the station checks at start.
      </p>
      <AuditFilters onApply={(f) => void load(f, 0)} onExport={(f) => void exportCsv(f)} />
      <ErrorText>{s.error ?? exportError}</ErrorText>
      <Notice>{notice}</Notice>
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>From</th>
            <th>Action</th>
            <th>Target</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {s.entries.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td title={new Date(e.at).toISOString()}>{dateTime(e.at)}</td>
              <td>{actorLabel(e)}</td>
              <td>{e.source}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{targetLabel(e)}</td>
              <td className="audit-change">{changeSummary(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.status === 'ready' && s.entries.length === 0 ? <p>No entries match.</p> : null}
      <div className="inline-form">
        <span data-testid="audit-count">
          {s.total === 0 ? '0 entries' : `${s.offset + 1}–${last} of ${s.total}`}
        </span>
        <Button
          disabled={s.offset === 0}
          onClick={() => void load(s.filter, Math.max(0, s.offset - AUDIT_PAGE_SIZE))}
        >
          Newer
        </Button>
        <Button disabled={last >= s.total} onClick={() => void load(s.filter, s.offset + AUDIT_PAGE_SIZE)}>
          Older
        </Button>
      </div>
    </div>
  )
}
