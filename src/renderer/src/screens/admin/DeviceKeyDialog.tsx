/** Sets the site device key to a given (or generated) value: applied at once, devices on the old key are refused. */
import { useState, type FormEvent } from 'react'
import { Dialog } from '../../components/Dialog'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { deviceKeyError, generateDeviceKey } from './station-settings-form'

export function DeviceKeyDialog({ onClose }: { onClose: () => void }) {
  const save = useStationShallow((s) => ({ save: s.saveStationSettings })).save
  const [key, setKey] = useState(() => generateDeviceKey())
  const [error, setError] = useState<string | null>(null)
  const [serverError, setServerError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = deviceKeyError(key) ?? null
    setError(problem)
    if (problem) return
    setBusy(true)
    const res = await save({ deviceKey: key })
    setBusy(false)
    if (res.ok) onClose()
    else setServerError(res.error)
  }
  return (
    <Dialog title="Set the site device key" onClose={onClose} testId="device-key-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <p>
          Devices present this key in the <code>x-device-key</code> header. It applies at once: every device
          still using the old key is refused until it gets the new one. Devices with their own token keep
          working.
        </p>
        <Field label="New key" error={error} hint="16 to 256 letters, digits and . _ ~ -">
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            data-testid="device-key-input"
          />
        </Field>
        <ErrorText>{serverError}</ErrorText>
        <div className="dialog-actions">
          <Button onClick={() => setKey(generateDeviceKey())}>Generate another</Button>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" tone="danger" disabled={busy} data-testid="device-key-save">
            Set key
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
