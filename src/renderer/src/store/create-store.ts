/**
 * Builds the station store: one zustand store of typed slices, with the persistence middleware applied
 * once to the combined store (only layout and settings persist), and the live channel attached.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createJSONStorage, persist } from 'zustand/middleware'
import { ADMIN_INITIAL, createAdminSlice } from './admin-slice'
import { ALARMS_INITIAL, createAlarmsSlice } from './alarms-slice'
import { AUDIT_INITIAL, createAuditSlice } from './audit-slice'
import { BUZZERS_INITIAL, createBuzzersSlice } from './buzzers-slice'
import { CAMERAS_INITIAL, createCamerasSlice } from './cameras-slice'
import { createConnectionSlice } from './connection-slice'
import { createDevicesSlice, DEVICES_INITIAL } from './devices-slice'
import { createEventsSlice, EVENTS_INITIAL } from './events-slice'
import { attachLive } from './live'
import { createMotionSlice, MOTION_INITIAL } from './motion-slice'
import { createRulesSlice, RULES_INITIAL } from './rules-slice'
import { createSessionSlice } from './session-slice'
import { createSettingsSlice, DEFAULT_SETTINGS, type Settings } from './settings-slice'
import { createPlaybackSlice, PLAYBACK_INITIAL } from './playback-slice'
import { createStatsSlice, STATS_INITIAL } from './stats-slice'
import { createStationSettingsSlice, STATION_SETTINGS_INITIAL } from './station-settings-slice'
import { createStorageSlice, STORAGE_INITIAL } from './storage-slice'
import type { StationState, StoreDeps } from './types'

export const SETTINGS_KEY = 'guard-station.settings'

export interface StationStore {
  store: StoreApi<StationState>
  deps: StoreDeps
  dispose(): void
}

const dataInitial = () => ({
  ...CAMERAS_INITIAL,
  ...MOTION_INITIAL,
  ...DEVICES_INITIAL,
  ...BUZZERS_INITIAL,
  ...EVENTS_INITIAL,
  ...ALARMS_INITIAL,
  ...STATS_INITIAL,
  ...ADMIN_INITIAL,
  ...STATION_SETTINGS_INITIAL,
  ...AUDIT_INITIAL,
  ...PLAYBACK_INITIAL(),
  ...STORAGE_INITIAL,
  ...RULES_INITIAL,
})

export function createStationStore(deps: StoreDeps): StationStore {
  const store = createStore<StationState>()(
    persist(
      (...a) => ({
        ...createSessionSlice(deps)(...a),
        ...createConnectionSlice(...a),
        ...createCamerasSlice(deps)(...a),
        ...createMotionSlice(deps)(...a),
        ...createDevicesSlice(deps)(...a),
        ...createBuzzersSlice(deps)(...a),
        ...createEventsSlice(deps)(...a),
        ...createAlarmsSlice(deps)(...a),
        ...createStatsSlice(deps)(...a),
        ...createSettingsSlice(...a),
        ...createAdminSlice(deps, dataInitial)(...a),
        ...createStationSettingsSlice(deps)(...a),
        ...createAuditSlice(deps)(...a),
        ...createPlaybackSlice(deps)(...a),
        ...createStorageSlice(deps)(...a),
        ...createRulesSlice(deps)(...a),
      }),
      {
        name: SETTINGS_KEY,
        version: 1,
        storage: createJSONStorage(() => deps.storage),
        partialize: (s) => ({ settings: { ...s.settings, fullscreenCamera: null } }),
        merge: (persisted, current) => ({
          ...current,
          settings: {
            ...DEFAULT_SETTINGS,
            ...((persisted as { settings?: Partial<Settings> } | undefined)?.settings ?? {}),
          },
        }),
      },
    ),
  )
  const detach = attachLive(store, deps)
  return {
    store,
    deps,
    dispose() {
      detach()
      deps.transport.close()
    },
  }
}
