/** The rule editor: what sets the rule off, when it is armed, and what it does (RuleActionsFields). */
import { useState, type ReactNode } from 'react'
import { ALARM_SEVERITIES, type Rule, type RuleTriggerKind } from '../../../../shared/schemas/alarms'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { RuleActionsFields } from './RuleActionsFields'
import {
  DAY_NAMES,
  TRIGGER_LABELS,
  draftOf,
  emptyRuleDraft,
  toRuleInput,
  validateRule,
  type RuleDraft,
  type RuleErrors,
} from './rule-form'

export interface DraftProps {
  draft: RuleDraft
  errors: RuleErrors
  set: (patch: Partial<RuleDraft>) => void
}

const KINDS = Object.keys(TRIGGER_LABELS) as RuleTriggerKind[]

export function RuleEditor({ rule, onDone }: { rule: Rule | null; onDone: () => void }) {
  const save = useStationShallow((s) => ({ save: s.saveRule })).save
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : emptyRuleDraft()))
  const [errors, setErrors] = useState<RuleErrors>({})
  const [error, setError] = useState<string | null>(null)
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const props = { draft, errors, set }
  return (
    <form
      className="admin-section rule-editor"
      data-testid="rule-editor"
      onSubmit={async (e) => {
        e.preventDefault()
        const found = validateRule(draft)
        setErrors(found)
        if (Object.keys(found).length > 0) return setError('Some fields need attention.')
        const res = await save(rule?.id ?? null, toRuleInput(draft))
        if (res.ok) onDone()
        else setError(res.error)
      }}
    >
      <h2>{rule ? `Edit rule ${rule.name}` : 'New rule'}</h2>
      <Field label="Name" error={errors.name}>
        <input
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          placeholder="Back door opened"
        />
      </Field>
      <Field label="Alarm level">
        <select
          value={draft.severity}
          onChange={(e) => set({ severity: e.target.value as RuleDraft['severity'] })}
          aria-label="Alarm level"
        >
          {ALARM_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Rule is on
      </label>
      <Field label="What sets it off">
        <select
          value={draft.kind}
          onChange={(e) => set({ kind: e.target.value as RuleTriggerKind })}
          aria-label="What sets it off"
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {TRIGGER_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <TriggerFields {...props} />
      <ScheduleFields {...props} />
      <RuleActionsFields {...props} />
      <ErrorText>{error}</ErrorText>
      <div className="row-actions">
        <Button type="submit" tone="primary">
          Save rule
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  )
}

function NumberField({
  label,
  field,
  hint,
  ...p
}: DraftProps & { label: string; field: keyof RuleDraft; hint?: string }) {
  return (
    <Field label={label} error={p.errors[field]} {...(hint ? { hint } : {})}>
      <input
        inputMode="decimal"
        value={String(p.draft[field])}
        onChange={(e) => p.set({ [field]: e.target.value })}
        aria-label={label}
      />
    </Field>
  )
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="field-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  )
}

function TriggerFields(p: DraftProps) {
  const { devices, cameras } = useStationShallow((s) => ({ devices: s.devices, cameras: s.cameras }))
  const { draft: d, set, errors } = p
  const device = ['threshold', 'rate', 'no-reading', 'device-offline', 'buzzer-failed'].includes(d.kind)
  const sensor = ['threshold', 'rate', 'no-reading'].includes(d.kind)
  const camera = d.kind === 'camera-offline' || d.kind === 'camera-motion'
  return (
    <Group title="Trigger">
      {device ? (
        <Field
          label="Device"
          error={errors.deviceId}
          hint={d.kind === 'buzzer-failed' ? 'Empty: any device' : undefined}
        >
          <input
            list="rule-devices"
            value={d.deviceId}
            onChange={(e) => set({ deviceId: e.target.value })}
            aria-label="Device"
          />
          <datalist id="rule-devices">
            {devices.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </datalist>
        </Field>
      ) : null}
      {sensor ? (
        <Field
          label="Sensor"
          error={errors.sensor}
          hint={d.kind === 'no-reading' ? 'Empty: any sensor' : undefined}
        >
          <input
            value={d.sensor}
            onChange={(e) => set({ sensor: e.target.value })}
            aria-label="Sensor"
            placeholder="temperature"
          />
        </Field>
      ) : null}
      {d.kind === 'threshold' ? (
        <>
          <Field label="Goes">
            <select
              value={d.op}
              onChange={(e) => set({ op: e.target.value as RuleDraft['op'] })}
              aria-label="Goes"
            >
              <option value="above">above the level</option>
              <option value="below">below the level</option>
              <option value="outside">outside a normal range</option>
            </select>
          </Field>
          {d.op === 'outside' ? (
            <>
              <NumberField {...p} label="Lowest normal value" field="low" />
              <NumberField {...p} label="Highest normal value" field="high" />
            </>
          ) : (
            <>
              <NumberField {...p} label="Level" field="level" />
              <NumberField
                {...p}
                label="Clear level"
                field="clearLevel"
                hint="Ends when back past this (empty: the level)"
              />
            </>
          )}
        </>
      ) : null}
      {d.kind === 'rate' ? (
        <>
          <Field label="Direction">
            <select
              value={d.direction}
              onChange={(e) => set({ direction: e.target.value as RuleDraft['direction'] })}
              aria-label="Direction"
            >
              <option value="rise">rises</option>
              <option value="fall">falls</option>
              <option value="either">rises or falls</option>
            </select>
          </Field>
          <NumberField
            {...p}
            label="By at least"
            field="amount"
            hint="Ends when the change is below half of this"
          />
          <NumberField {...p} label="Within seconds" field="perSeconds" />
        </>
      ) : null}
      {d.kind === 'threshold' || d.kind === 'rate' ? (
        <NumberField {...p} label="For at least seconds" field="holdSeconds" hint="Empty: at once" />
      ) : null}
      {d.kind === 'no-reading' ? <NumberField {...p} label="Silent for seconds" field="seconds" /> : null}
      {camera ? (
        <Field label="Camera" error={errors.cameraId}>
          <select value={d.cameraId} onChange={(e) => set({ cameraId: e.target.value })} aria-label="Camera">
            <option value="">Choose a camera</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {d.kind === 'camera-motion' ? (
        <Field
          label="Only in motion zones"
          hint="Zone names or numbers, comma separated (empty: the whole picture)"
        >
          <input
            value={d.zones}
            onChange={(e) => set({ zones: e.target.value })}
            aria-label="Only in motion zones"
          />
        </Field>
      ) : null}
    </Group>
  )
}

function ScheduleFields({ draft: d, set, errors }: DraftProps) {
  const { areas, zone } = useStationShallow((s) => ({ areas: s.areas, zone: s.siteTimeZone }))
  const setWindow = (i: number, patch: Partial<RuleDraft['windows'][number]>) =>
    set({ windows: d.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) })
  return (
    <Group title="When it is armed">
      <Field label="Only while this area is armed">
        <select value={d.areaId} onChange={(e) => set({ areaId: e.target.value })} aria-label="Area">
          <option value="">Any time (no area)</option>
          {areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="check">
        <input type="checkbox" checked={d.scheduled} onChange={(e) => set({ scheduled: e.target.checked })} />
        Only at certain hours
      </label>
      {d.scheduled ? (
        <>
          <Field label="Time zone" hint={`Empty: the site's zone${zone ? ` (${zone})` : ''}`}>
            <input
              value={d.timeZone}
              onChange={(e) => set({ timeZone: e.target.value })}
              aria-label="Time zone"
              placeholder={zone ?? ''}
            />
          </Field>
          {d.windows.map((w, i) => (
            <div key={i} className="inline-form" data-testid="rule-window">
              {DAY_NAMES.map((name, day) => (
                <label key={name} className="check">
                  <input
                    type="checkbox"
                    checked={w.days.includes(day)}
                    onChange={(e) =>
                      setWindow(i, {
                        days: e.target.checked ? [...w.days, day] : w.days.filter((x) => x !== day),
                      })
                    }
                  />
                  {name}
                </label>
              ))}
              <input
                type="time"
                value={w.from}
                onChange={(e) => setWindow(i, { from: e.target.value })}
                aria-label="From"
              />
              <input
                type="time"
                value={w.to}
                onChange={(e) => setWindow(i, { to: e.target.value })}
                aria-label="To"
              />
              <Button onClick={() => set({ windows: d.windows.filter((_, j) => j !== i) })}>Remove</Button>
            </div>
          ))}
          <ErrorText>{errors.windows}</ErrorText>
          <Button
            onClick={() => set({ windows: [...d.windows, { days: [0, 6], from: '00:00', to: '00:00' }] })}
          >
            Add hours
          </Button>
          <p className="muted">A window that ends before it starts runs past midnight.</p>
        </>
      ) : null}
    </Group>
  )
}
