/** Admin: devices (rename, area, issue or revoke a per-device token, delete). */
import { useState } from 'react'
import type { Area, Device } from '../../../../shared/schemas/entities'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog } from '../../components/Dialog'
import { Button, ErrorText } from '../../components/ui'
import { useStationShallow } from '../../store/context'

function DeviceRow({
  device,
  areas,
  onToken,
  onDelete,
}: {
  device: Device
  areas: Area[]
  onToken: (token: string) => void
  onDelete: () => void
}) {
  const a = useStationShallow((s) => ({
    update: s.updateDevice,
    issue: s.issueDeviceToken,
    revoke: s.revokeDeviceToken,
  }))
  const [name, setName] = useState(device.name)
  const [areaId, setAreaId] = useState(device.areaId === null ? '' : String(device.areaId))
  const [error, setError] = useState<string | null>(null)
  const dirty = name !== device.name || areaId !== (device.areaId === null ? '' : String(device.areaId))
  return (
    <tr data-testid="device-row" data-device-id={device.id}>
      <td>
        <code>{device.id}</code>
      </td>
      <td>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label={`Name of ${device.id}`} />
        <ErrorText>{error}</ErrorText>
      </td>
      <td>
        <select
          value={areaId}
          onChange={(e) => setAreaId(e.target.value)}
          aria-label={`Area of ${device.id}`}
        >
          <option value="">No area</option>
          {areas.map((ar) => (
            <option key={ar.id} value={ar.id}>
              {ar.name}
            </option>
          ))}
        </select>
      </td>
      <td>{device.hasToken ? 'device token' : 'site key'}</td>
      <td className="row-actions">
        <Button
          disabled={!dirty}
          onClick={async () => {
            if (!name.trim()) return setError('A device needs a name.')
            const res = await a.update({
              id: device.id,
              name: name.trim(),
              areaId: areaId ? Number(areaId) : null,
            })
            setError(res.ok ? null : res.error)
          }}
        >
          Save
        </Button>
        <Button
          onClick={async () => {
            const res = await a.issue(device.id)
            if (res.ok) onToken(res.value.token)
            else setError(res.error)
          }}
        >
          {device.hasToken ? 'New token' : 'Issue token'}
        </Button>
        {device.hasToken ? (
          <Button
            onClick={async () => {
              const res = await a.revoke(device.id)
              setError(res.ok ? null : res.error)
            }}
          >
            Revoke token
          </Button>
        ) : null}
        <Button tone="danger" onClick={onDelete}>
          Delete
        </Button>
      </td>
    </tr>
  )
}

export function DevicesAdmin() {
  const s = useStationShallow((s) => ({ devices: s.devices, areas: s.areas, remove: s.deleteDevice }))
  const [token, setToken] = useState<{ id: string; token: string } | null>(null)
  const [deleting, setDeleting] = useState<Device | null>(null)
  return (
    <div className="admin-section" data-testid="admin-devices">
      <h2>Devices</h2>
      {s.devices.length === 0 ? (
        <p className="muted">No devices yet: they register themselves with the site key (see Sensors).</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th>Area</th>
              <th>Signs in with</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.devices.map((d) => (
              <DeviceRow
                key={`${d.id}:${d.updatedAt}`}
                device={d}
                areas={s.areas}
                onToken={(t) => setToken({ id: d.id, token: t })}
                onDelete={() => setDeleting(d)}
              />
            ))}
          </tbody>
        </table>
      )}
      {token ? (
        <Dialog title={`Token for ${token.id}`} onClose={() => setToken(null)}>
          <p>
            Shown once. The device sends it as <code>Authorization: Bearer …</code> instead of the site key;
            revoke it here.
          </p>
          <pre className="code">{token.token}</pre>
          <div className="dialog-actions">
            <Button tone="primary" onClick={() => setToken(null)}>
              Done
            </Button>
          </div>
        </Dialog>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const res = await s.remove(deleting.id)
            return res.ok ? null : res.error
          }}
        >
          <p>Its sensors and every stored reading go with it. A device that reports again registers anew.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
