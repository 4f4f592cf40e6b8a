/** Admin: the site device key devices present in x-device-key, and its rotation. */
import { useEffect, useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Button, ErrorText } from '../../components/ui'
import { useStationShallow } from '../../store/context'

export function DeviceKeyPanel() {
  const s = useStationShallow((s) => ({
    key: s.deviceKey,
    load: s.loadDeviceKey,
    rotate: s.rotateDeviceKey,
    error: s.adminError,
  }))
  const [shown, setShown] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const load = s.load
  useEffect(() => void load(), [load])
  const fromEnv = s.key?.source === 'environment'
  return (
    <div className="admin-section" data-testid="admin-device-key">
      <h2>Site device key</h2>
      <p>
        Devices send it in the <code>{s.key?.header ?? 'x-device-key'}</code> header. Unknown devices that
        present it register themselves.
      </p>
      <pre className="code" data-testid="device-key">
        {s.key ? (shown ? s.key.deviceKey : '•'.repeat(24)) : '…'}
      </pre>
      <div className="row-actions">
        <Button onClick={() => setShown(!shown)}>{shown ? 'Hide' : 'Show'}</Button>
        <Button
          tone="danger"
          disabled={fromEnv}
          title={fromEnv ? 'Set by STATION_DEVICE_KEY: change it there' : undefined}
          onClick={() => setConfirming(true)}
        >
          Rotate key
        </Button>
      </div>
      {fromEnv ? (
        <p className="muted">
          This key is set by STATION_DEVICE_KEY; change it in the station's environment.
        </p>
      ) : null}
      <ErrorText>{s.error}</ErrorText>
      {confirming ? (
        <ConfirmDialog
          title="Rotate the site device key?"
          confirmLabel="Rotate"
          tone="danger"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const res = await s.rotate()
            if (res.ok) setShown(true)
            return res.ok ? null : res.error
          }}
        >
          <p>
            Every device using the old key is refused until it is given the new one. Devices with their own
            token keep working.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
