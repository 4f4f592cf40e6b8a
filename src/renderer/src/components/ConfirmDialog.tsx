/** Asks before a consequential action (sounding a siren, deleting a camera). */
import { useState, type ReactNode } from 'react'
import { Dialog } from './Dialog'
import { Button, ErrorText } from './ui'

export function ConfirmDialog({
  title,
  confirmLabel,
  tone = 'primary',
  onConfirm,
  onClose,
  children,
}: {
  title: string
  confirmLabel: string
  tone?: 'primary' | 'danger'
  /** Resolves with an error message to show, or null when done. */
  onConfirm: () => Promise<string | null>
  onClose: () => void
  children?: ReactNode
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <Dialog title={title} onClose={onClose} testId="confirm-dialog">
      {children}
      <ErrorText>{error}</ErrorText>
      <div className="dialog-actions">
        <Button onClick={onClose}>Cancel</Button>
        <Button
          tone={tone}
          autoFocus
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            const problem = await onConfirm()
            setBusy(false)
            if (problem) setError(problem)
            else onClose()
          }}
        >
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  )
}
