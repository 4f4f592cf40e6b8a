/**
 * Admin: the station's own settings. Per setting: what runs now, what is saved, whether an environment
 * variable fixes it, and whether a restart is needed to apply it. Checked before sending; the station's
 * message shows when it refuses.
 */
import { useEffect, useState, type FormEvent } from 'react'
import type { StationSetting, StationSettings } from '../../../../shared/contract'
import { Badge, Button, ErrorText, Field, Loading, Notice } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { DeviceKeyDialog } from './DeviceKeyDialog'
import {
  draftOf,
  nextValue,
  settingField,
  toSettingsUpdate,
  validateSettings,
  type SettingsDraft,
  type SettingsErrors,
} from './station-settings-form'

function SettingState({ s }: { s: StationSetting }) {
  if (s.source === 'environment')
    return (
      <Badge tone="muted" title={`Change ${s.envVar} in the station's environment, then restart`}>
        Fixed by {s.envVar}
      </Badge>
    )
  if (s.restartRequired)
    return (
      <Badge tone="warn" title={`Runs with ${s.value}; the next start uses ${nextValue(s)}`}>
        Restart needed
      </Badge>
    )
  if (!s.editable) return <Badge tone="muted">Read-only</Badge>
  return <Badge tone="ok">In effect</Badge>
}

/** Which settings wait for a restart, and what to do about it. */
function RestartBanner({ view }: { view: StationSettings }) {
  const waiting = view.settings.filter((s) => s.restartRequired)
  if (!view.restartRequired || waiting.length === 0) return null
  return (
    <div className="banner banner-warn" role="status" data-testid="restart-banner">
      <strong>Restart needed.</strong> The station runs with other values than saved for{' '}
      {waiting.map((s) => s.label).join(', ')}. Quit and start the station (or restart its service) to apply
      them; until then it keeps running as shown under “Running now”.
    </div>
  )
}

export function StationSettingsPanel() {
  const s = useStationShallow((s) => ({
    view: s.stationSettings,
    status: s.stationSettingsStatus,
    error: s.stationSettingsError,
    load: s.loadStationSettings,
    save: s.saveStationSettings,
  }))
  const [draft, setDraft] = useState<SettingsDraft>({})
  const [errors, setErrors] = useState<SettingsErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [keyDialog, setKeyDialog] = useState(false)
  const { load, view } = s
  useEffect(() => void load(), [load])
  useEffect(() => {
    if (view) setDraft(draftOf(view))
  }, [view])

  if (!view) return s.status === 'error' ? <ErrorText>{s.error}</ErrorText> : <Loading what="settings" />

  const update = toSettingsUpdate(view, draft)
  const dirty = Object.keys(update).length > 0
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setNotice(null)
    const found = validateSettings(view, draft)
    setErrors(found)
    if (Object.keys(found).length || !dirty) return
    setBusy(true)
    const res = await s.save(update)
    setBusy(false)
    if (!res.ok) return setServerError(res.error)
    setServerError(null)
    const labels = view.settings.filter((x) => res.value.changed?.includes(x.key)).map((x) => x.label)
    setNotice(
      `Saved: ${labels.join(', ')}.${res.value.restartRequired ? ' Restart the station to apply.' : ''}`,
    )
  }

  return (
    <div className="admin-section" data-testid="admin-station">
      <div className="toolbar">
        <h2>Station settings</h2>
        <Button onClick={() => void load()}>Refresh</Button>
      </div>
      <p className="muted">
        Saved settings apply when the station next starts; an environment variable always wins over a saved
        value.
      </p>
      <RestartBanner view={view} />
      <form className="form" onSubmit={submit} noValidate aria-label="Station settings">
        <table className="table settings-table" data-testid="settings-table">
          <thead>
            <tr>
              <th>Setting</th>
              <th>Running now</th>
              <th>Saved</th>
              <th>Next start</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {view.settings.map((x) => (
              <tr key={x.key} data-testid="setting-row" data-setting={x.key}>
                <td>
                  <div>{settingField(x.key).label}</div>
                  <div className="field-hint">{settingField(x.key).help}</div>
                </td>
                <td data-testid="setting-now">
                  <code>{String(x.value)}</code>
                </td>
                <td data-testid="setting-saved">
                  {x.saved === null ? <span className="muted">–</span> : <code>{String(x.saved)}</code>}
                  <div className="field-hint">default {String(x.default)}</div>
                </td>
                <td>
                  {x.editable ? (
                    <Field
                      label={`${settingField(x.key).label} at next start`}
                      hint={settingField(x.key).range}
                      error={errors[x.key]}
                    >
                      <input
                        value={draft[x.key] ?? ''}
                        inputMode={settingField(x.key).numeric ? 'numeric' : 'text'}
                        spellCheck={false}
                        data-testid={`setting-input-${x.key}`}
                        onChange={(e) => setDraft((d) => ({ ...d, [x.key]: e.target.value }))}
                      />
                    </Field>
                  ) : (
                    <code>{String(nextValue(x))}</code>
                  )}
                </td>
                <td data-testid="setting-state">
                  <SettingState s={x} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ErrorText>{serverError}</ErrorText>
        <Notice>{notice}</Notice>
        <div className="dialog-actions">
          <Button disabled={!dirty} onClick={() => (setDraft(draftOf(view)), setErrors({}))}>
            Undo changes
          </Button>
          <Button type="submit" tone="primary" disabled={busy || !dirty} data-testid="settings-save">
            Save settings
          </Button>
        </div>
      </form>
      <h3>Site device key</h3>
      <p data-testid="device-key-source">
        {view.deviceKey.source === 'environment'
          ? 'Set by STATION_DEVICE_KEY: change it in the station’s environment.'
          : 'Kept by the station. A new key applies at once: devices using the old one are refused.'}
      </p>
      <Button
        disabled={!view.deviceKey.editable}
        onClick={() => setKeyDialog(true)}
        data-testid="device-key-set"
      >
        Set a new key…
      </Button>
      {keyDialog ? <DeviceKeyDialog onClose={() => setKeyDialog(false)} /> : null}
    </div>
  )
}
