/** What a guard sees on an administrators' screen. */
import { Button, EmptyState } from './ui'

export function Forbidden({ onBack }: { onBack: () => void }) {
  return (
    <EmptyState title="Administrators only" testId="forbidden">
      <p>This screen is for administrators. Sign in with an administrator account to use it.</p>
      <Button tone="primary" onClick={onBack}>
        Back to cameras
      </Button>
    </EmptyState>
  )
}
