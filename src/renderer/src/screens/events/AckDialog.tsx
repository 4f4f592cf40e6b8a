/** Acknowledge an event with an optional note (who and when are recorded by the station). */
import { useState } from 'react'
import type { StationEvent } from '../../../../shared/schemas/entities'
import { Dialog } from '../../components/Dialog'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStation } from '../../store/context'

export const MAX_NOTE = 500

export function AckDialog({ event, onClose }: { event: StationEvent; onClose: () => void }) {
  const ack = useStation((s) => s.ackEvent)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const tooLong = note.length > MAX_NOTE
  return (
    <Dialog title="Acknowledge event" onClose={onClose} testId="ack-dialog">
      <p className="ack-message">{event.message}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault()
          if (tooLong) return
          setBusy(true)
          const res = await ack(event.id, note)
          setBusy(false)
          if (res.ok) onClose()
          else setError(res.error)
        }}
      >
        <Field
          label="Note (optional)"
          error={tooLong ? `At most ${MAX_NOTE} characters.` : null}
          hint="What you checked or did"
        >
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={3}
            autoFocus
            data-testid="ack-note"
          />
        </Field>
        <ErrorText>{error}</ErrorText>
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" tone="primary" disabled={busy || tooLong} data-testid="ack-submit">
            Acknowledge
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
