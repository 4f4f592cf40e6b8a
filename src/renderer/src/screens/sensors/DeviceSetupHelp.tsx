/** The empty state for devices: how to point one at this station, with the URL and (for admins) the key. */
import { useEffect } from 'react'
import { EmptyState } from '../../components/ui'
import { useStationShallow } from '../../store/context'

export function DeviceSetupHelp() {
  const s = useStationShallow((s) => ({
    admin: s.session.user?.role === 'admin',
    key: s.deviceKey,
    loadKey: s.loadDeviceKey,
  }))
  useEffect(() => {
    if (s.admin && !s.key) void s.loadKey()
  }, [s.admin, s.key, s.loadKey])
  const url = typeof location !== 'undefined' ? location.origin : 'http://<station>:8787'
  return (
    <EmptyState title="No devices yet" testId="devices-empty">
      <p>Devices register themselves the first time they send a reading. Point a device at this station:</p>
      <pre className="code">
        {`POST ${url}/api/v1/ingest/sensor-data
x-device-key: ${s.admin ? (s.key?.deviceKey ?? '…') : '<the site device key: ask an administrator>'}
{ "deviceId": "esp32-01", "sensor": "temperature", "value": 23.5, "unit": "C" }`}
      </pre>
      <p className="muted">
        Devices on the LAN use this computer's network address instead of 127.0.0.1. WebSocket devices connect
        to <code>/ws/device?deviceId=ID</code> with the same header. The simulator (
        <code>npm run simulate</code>) tries it without hardware.
      </p>
    </EmptyState>
  )
}
