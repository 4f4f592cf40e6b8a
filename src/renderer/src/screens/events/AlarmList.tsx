/** The console's alarm list: active first by severity, the selected row focused (j/k or arrows move it). */
import { useEffect, useRef } from 'react'
import type { Alarm } from '../../../../shared/contract'
import { Badge } from '../../components/ui'
import { ago } from '../../util/format'
import { SEVERITY_TONE, sourceText, stateText } from './alarm-text'

export function AlarmList({
  alarms,
  selected,
  now,
  onSelect,
}: {
  alarms: Alarm[]
  selected: number | null
  now: number
  onSelect(id: number): void
}) {
  const list = useRef<HTMLUListElement>(null)
  useEffect(() => {
    if (selected === null) return
    const row = list.current?.querySelector<HTMLElement>(`[data-alarm-id="${selected}"]`)
    if (row && !document.querySelector('dialog[open]')) {
      row.focus({ preventScroll: true })
      row.scrollIntoView({ block: 'nearest' })
    }
  }, [selected])
  return (
    <ul className="alarm-list" role="listbox" aria-label="Alarms" ref={list} data-testid="alarm-list">
      {alarms.map((a) => (
        <li
          key={a.id}
          role="option"
          tabIndex={a.id === selected || (selected === null && a === alarms[0]) ? 0 : -1}
          aria-selected={a.id === selected}
          className={`alarm-row alarm-${a.state}${a.id === selected ? ' selected' : ''}`}
          data-testid="alarm-row"
          data-alarm-id={a.id}
          data-state={a.state}
          data-severity={a.severity}
          onClick={() => onSelect(a.id)}
          onFocus={() => a.id !== selected && onSelect(a.id)}
        >
          <Badge tone={SEVERITY_TONE[a.severity] ?? 'muted'}>{a.severity}</Badge>
          <div className="alarm-row-body">
            <div className="alarm-row-title">
              {a.ruleName}
              {a.repeatCount > 0 ? <span className="muted"> · {a.repeatCount + 1} times</span> : null}
            </div>
            <div className="muted">
              {sourceText(a)} · {ago(a.openedAt, now)} · <span data-testid="alarm-state">{stateText(a)}</span>
              {a.assignedTo ? ` · assigned to ${a.assignedTo}` : ''}
            </div>
          </div>
        </li>
      ))}
    </ul>
  )
}
