/**
 * One dialog for the alarm workflow: acknowledge, add a note, assign to a colleague, resolve. Enter
 * confirms (Shift+Enter for a new line in the note), Esc cancels.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import type { Alarm } from '../../../../shared/contract'
import { Dialog } from '../../components/Dialog'
import { Button, ErrorText, Field } from '../../components/ui'
import type { AlarmDialogKind } from '../../store/alarms-slice'
import { useStationShallow } from '../../store/context'

export const MAX_ALARM_NOTE = 2000

const TEXT: Record<AlarmDialogKind, { title: string; submit: string; note: string }> = {
  ack: { title: 'Acknowledge alarm', submit: 'Acknowledge', note: 'Note (optional)' },
  note: { title: 'Add a note', submit: 'Add note', note: 'Note' },
  assign: { title: 'Assign to a colleague', submit: 'Assign', note: 'Note (optional)' },
  resolve: { title: 'Resolve alarm', submit: 'Resolve', note: 'What was done (optional)' },
}

export function AlarmDialog({
  alarm,
  kind,
  colleagues,
  onClose,
}: {
  alarm: Alarm
  kind: AlarmDialogKind
  /** Names to suggest for assigning (people seen on alarms, and the guard). */
  colleagues: string[]
  onClose: () => void
}) {
  const s = useStationShallow((s) => ({
    ack: s.ackAlarm,
    resolve: s.resolveAlarm,
    addNote: s.noteAlarm,
    assign: s.assignAlarm,
  }))
  const [note, setNote] = useState('')
  const [assignee, setAssignee] = useState(alarm.assignedTo ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const text = TEXT[kind]
  const tooLong = note.length > MAX_ALARM_NOTE
  const missing = (kind === 'note' && note.trim() === '') || (kind === 'assign' && assignee.trim() === '')

  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (busy || tooLong || missing) return
    setBusy(true)
    const res =
      kind === 'ack'
        ? await s.ack(alarm.id, note)
        : kind === 'note'
          ? await s.addNote(alarm.id, note)
          : kind === 'assign'
            ? await s.assign(alarm.id, assignee.trim(), note)
            : await s.resolve(alarm.id, note)
    setBusy(false)
    if (res.ok) onClose()
    else setError(res.error)
  }
  const enterSubmits = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      void submit()
    }
  }

  return (
    <Dialog title={text.title} onClose={onClose} testId="alarm-dialog">
      <p className="ack-message">
        {alarm.ruleName}: {alarm.message}
      </p>
      <form onSubmit={(e) => void submit(e)}>
        {kind === 'assign' ? (
          <Field label="Colleague" hint="Their user name">
            <input
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
              onKeyDown={enterSubmits}
              list="alarm-colleagues"
              autoFocus
              maxLength={64}
              data-testid="alarm-assignee"
            />
            <datalist id="alarm-colleagues">
              {colleagues.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </Field>
        ) : null}
        <Field
          label={text.note}
          error={tooLong ? `At most ${MAX_ALARM_NOTE} characters.` : null}
          hint="Enter to confirm, Shift+Enter for a new line, Esc to cancel"
        >
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={enterSubmits}
            rows={3}
            autoFocus={kind !== 'assign'}
            data-testid="alarm-note"
          />
        </Field>
        <ErrorText>{error}</ErrorText>
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            tone="primary"
            disabled={busy || tooLong || missing}
            data-testid="alarm-dialog-submit"
          >
            {text.submit}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
