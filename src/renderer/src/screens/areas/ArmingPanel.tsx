/** Each area armed or not, with Arm / Disarm (asked to confirm). Live: another desk's change shows here. */
import { useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Badge, Button, EmptyState, ErrorText, Loading } from '../../components/ui'
import { useAreaArming } from './useAreaArming'

const timeOf = (ms: number) => new Date(ms).toLocaleString()

export function ArmingPanel() {
  const { rows, error, setArmed } = useAreaArming()
  const [asking, setAsking] = useState<{ id: number; name: string; armed: boolean } | null>(null)

  return (
    <section className="panel" aria-label="Area arming" data-testid="arming-panel">
      <h2>Areas</h2>
      <ErrorText>{error}</ErrorText>
      {rows === null && !error ? <Loading what="areas" /> : null}
      {rows?.length === 0 ? (
        <EmptyState title="No areas yet">An admin adds areas in Admin.</EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>Area</th>
              <th>State</th>
              <th>Last change</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ area, arming }) => {
              const armed = arming?.armed ?? false
              return (
                <tr key={area.id} data-testid={`area-${area.id}`}>
                  <td>{area.name}</td>
                  <td data-testid={`area-${area.id}-state`}>
                    {arming === null ? (
                      '…'
                    ) : (
                      <Badge tone={armed ? 'warn' : 'muted'}>{armed ? 'Armed' : 'Disarmed'}</Badge>
                    )}
                  </td>
                  <td>
                    {arming?.changedAt
                      ? `${timeOf(arming.changedAt)}${arming.changedBy ? ` by ${arming.changedBy}` : ''}`
                      : 'Never'}
                  </td>
                  <td>
                    <Button
                      tone={armed ? 'default' : 'primary'}
                      disabled={arming === null}
                      data-testid={`area-${area.id}-toggle`}
                      onClick={() => setAsking({ id: area.id, name: area.name, armed: !armed })}
                    >
                      {armed ? 'Disarm' : 'Arm'}
                    </Button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      ) : null}
      {asking ? (
        <ConfirmDialog
          title={`${asking.armed ? 'Arm' : 'Disarm'} ${asking.name}?`}
          confirmLabel={asking.armed ? 'Arm' : 'Disarm'}
          tone={asking.armed ? 'primary' : 'danger'}
          onConfirm={() => setArmed(asking.id, asking.armed)}
          onClose={() => setAsking(null)}
        >
          <p>
            {asking.armed
              ? 'Alarms for this area will go off from now on.'
              : 'Alarms for this area will stay quiet until someone arms it again.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  )
}
