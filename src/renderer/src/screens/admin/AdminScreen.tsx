/** Admin: cameras, areas, devices, users, alarm rules, the site device key, recordings storage, the station's own settings, the audit log. */
import { useEffect, useState } from 'react'
import { useStationShallow } from '../../store/context'
import { AreasAdmin } from './AreasAdmin'
import { AuditAdmin } from './AuditAdmin'
import { CamerasAdmin } from './CamerasAdmin'
import { DeviceKeyPanel } from './DeviceKeyPanel'
import { DevicesAdmin } from './DevicesAdmin'
import { StationSettingsPanel } from './StationSettingsPanel'
import { RulesAdmin } from './RulesAdmin'
import { StoragePanel } from './StoragePanel'
import { UsersAdmin } from './UsersAdmin'

const TABS = [
  { id: 'cameras', label: 'Cameras', View: CamerasAdmin },
  { id: 'areas', label: 'Areas', View: AreasAdmin },
  { id: 'devices', label: 'Devices', View: DevicesAdmin },
  { id: 'users', label: 'Users', View: UsersAdmin },
  { id: 'rules', label: 'Rules', View: RulesAdmin },
  { id: 'key', label: 'Device key', View: DeviceKeyPanel },
  { id: 'storage', label: 'Storage', View: StoragePanel },
  { id: 'station', label: 'Station', View: StationSettingsPanel },
  { id: 'audit', label: 'Audit log', View: AuditAdmin },
] as const

export function AdminScreen() {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('cameras')
  const loads = useStationShallow((s) => ({ users: s.loadUsers, areas: s.loadAreas }))
  const { users, areas } = loads
  useEffect(() => {
    void users()
    void areas()
  }, [users, areas])
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]
  return (
    <section className="admin" aria-label="Administration">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            className={t.id === tab ? 'active' : ''}
            data-testid={`admin-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <current.View />
    </section>
  )
}
