/** Admin → Rules: the alarm rules with their state, and the editor to create, change or delete them. */
import { useEffect, useState } from 'react'
import type { Rule } from '../../../../shared/schemas/alarms'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Button, Notice } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { RuleEditor } from './RuleEditor'
import { TRIGGER_LABELS, draftOf, ruleStateText, toRuleInput } from './rule-form'

export function RulesAdmin() {
  const s = useStationShallow((st) => ({
    rules: st.rules,
    error: st.rulesError,
    load: st.loadRules,
    save: st.saveRule,
    remove: st.deleteRule,
    loadCameras: st.loadCameras,
    loadDevices: st.loadDevices,
  }))
  const { load, loadCameras, loadDevices } = s
  const [editing, setEditing] = useState<Rule | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Rule | null>(null)
  const [switchError, setSwitchError] = useState<string | null>(null)
  useEffect(() => {
    void load()
    void loadCameras()
    void loadDevices()
  }, [load, loadCameras, loadDevices])

  if (editing) {
    return <RuleEditor rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
  }
  return (
    <div className="admin-section" data-testid="admin-rules">
      <h2>Alarm rules</h2>
      <Notice>{s.error}</Notice>
      <Notice>{switchError}</Notice>
      <Button tone="primary" onClick={() => setEditing('new')} data-testid="rule-new">
        New rule
      </Button>
      {s.rules.length === 0 ? <p className="muted">No rules yet.</p> : null}
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>When</th>
            <th>Level</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {s.rules.map((r) => (
            <tr key={r.id} data-testid="rule-row">
              <td>{r.name}</td>
              <td>{TRIGGER_LABELS[r.trigger.kind]}</td>
              <td>{r.severity}</td>
              <td data-testid="rule-state">{ruleStateText(r)}</td>
              <td className="row-actions">
                <Button onClick={() => setEditing(r)}>Edit</Button>
                <Button
                  onClick={async () => {
                    const res = await s.save(r.id, { ...toRuleInput(draftOf(r)), enabled: !r.enabled })
                    setSwitchError(res.ok ? null : res.error)
                  }}
                >
                  {r.enabled ? 'Switch off' : 'Switch on'}
                </Button>
                <Button tone="danger" onClick={() => setDeleting(r)}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting ? (
        <ConfirmDialog
          title={`Delete rule ${deleting.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const res = await s.remove(deleting.id)
            return res.ok ? null : res.error
          }}
        >
          <p>Alarms it raised stay in the history.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
