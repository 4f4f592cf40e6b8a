/** What a rule does when it fires: siren, recording, fullscreen cameras, escalation. */
import { ALARM_SEVERITIES } from '../../../../shared/schemas/alarms'
import { BUZZER_PATTERNS } from '../../../../shared/constants'
import { ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import type { DraftProps } from './RuleEditor'
import type { RuleDraft } from './rule-form'

function CameraChecks({
  label,
  value,
  onChange,
}: {
  label: string
  value: number[]
  onChange: (ids: number[]) => void
}) {
  const cameras = useStationShallow((s) => ({ cameras: s.cameras })).cameras
  return (
    <div className="inline-form" role="group" aria-label={label}>
      {cameras.map((c) => (
        <label key={c.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(c.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((x) => x !== c.id))}
          />
          {c.name}
        </label>
      ))}
      {cameras.length === 0 ? <span className="muted">No cameras yet.</span> : null}
    </div>
  )
}

function Text({
  label,
  field,
  p,
  hint,
}: {
  label: string
  field: keyof RuleDraft
  p: DraftProps
  hint?: string
}) {
  return (
    <Field label={label} error={p.errors[field]} {...(hint ? { hint } : {})}>
      <input
        value={String(p.draft[field])}
        onChange={(e) => p.set({ [field]: e.target.value })}
        aria-label={label}
      />
    </Field>
  )
}

export function RuleActionsFields(p: DraftProps) {
  const { draft: d, set, errors } = p
  const devices = useStationShallow((s) => ({ devices: s.devices })).devices
  return (
    <fieldset className="field-group">
      <legend>What it does</legend>
      <label className="check">
        <input type="checkbox" checked={d.siren} onChange={(e) => set({ siren: e.target.checked })} />
        Sound a siren
      </label>
      {d.siren ? (
        <>
          <Field label="Siren device" error={errors.sirenDeviceId}>
            <select
              value={d.sirenDeviceId}
              onChange={(e) => set({ sirenDeviceId: e.target.value })}
              aria-label="Siren device"
            >
              <option value="">Choose a device</option>
              {devices.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
          <Text p={p} label="Siren seconds" field="sirenSeconds" hint="Empty: the device's default" />
          <Field label="Siren pattern">
            <select
              value={d.sirenPattern}
              onChange={(e) => set({ sirenPattern: e.target.value as RuleDraft['sirenPattern'] })}
              aria-label="Siren pattern"
            >
              <option value="">Default</option>
              {BUZZER_PATTERNS.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={d.record} onChange={(e) => set({ record: e.target.checked })} />
        Record cameras
      </label>
      {d.record ? (
        <>
          <CameraChecks
            label="Cameras to record"
            value={d.recordCameraIds}
            onChange={(ids) => set({ recordCameraIds: ids })}
          />
          <ErrorText>{errors.recordCameraIds}</ErrorText>
          <Text p={p} label="Seconds before" field="preRollSeconds" />
          <Text p={p} label="Seconds after" field="postRollSeconds" />
          <Text p={p} label="Keep for days" field="keepDays" />
        </>
      ) : null}
      <Field label="Show these cameras fullscreen">
        <CameraChecks
          label="Cameras to show fullscreen"
          value={d.fullscreenCameraIds}
          onChange={(ids) => set({ fullscreenCameraIds: ids })}
        />
      </Field>
      <label className="check">
        <input type="checkbox" checked={d.escalate} onChange={(e) => set({ escalate: e.target.checked })} />
        Raise the level if nobody acknowledges
      </label>
      {d.escalate ? (
        <>
          <Text p={p} label="After seconds" field="escalateSeconds" />
          <Field label="New level">
            <select
              value={d.escalateSeverity}
              onChange={(e) => set({ escalateSeverity: e.target.value as RuleDraft['escalateSeverity'] })}
              aria-label="New level"
            >
              {ALARM_SEVERITIES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : null}
    </fieldset>
  )
}
