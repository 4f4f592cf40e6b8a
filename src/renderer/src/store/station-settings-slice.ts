/**
 * The station's own settings for admins (port, bind address, data folder, device key, cache, queue
 * intervals, read pool): what runs now, what is saved, what an environment variable fixes, and which
 * saved changes wait for a restart. Saving answers the form with the new view or the station's message.
 */
import type { StationSettings, StationSettingsUpdate } from '../../../shared/contract'
import { NO_ARGS } from '../transport/types'
import { attempt, type ActionResult } from './result'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

export interface StationSettingsData {
  stationSettings: StationSettings | null
  stationSettingsStatus: LoadStatus
  stationSettingsError: string | null
}

export interface StationSettingsSlice extends StationSettingsData {
  loadStationSettings(): Promise<void>
  saveStationSettings(update: StationSettingsUpdate): Promise<ActionResult<StationSettings>>
}

export const STATION_SETTINGS_INITIAL: StationSettingsData = {
  stationSettings: null,
  stationSettingsStatus: 'idle',
  stationSettingsError: null,
}

export const createStationSettingsSlice =
  (deps: StoreDeps): Slice<StationSettingsSlice> =>
  (set, get) => ({
    ...STATION_SETTINGS_INITIAL,

    async loadStationSettings() {
      set({
        stationSettingsStatus: get().stationSettings ? 'ready' : 'loading',
        stationSettingsError: null,
      })
      try {
        const stationSettings = await deps.transport.request('settings:get', NO_ARGS)
        set({ stationSettings, stationSettingsStatus: 'ready' })
      } catch (err) {
        set({ stationSettingsStatus: 'error', stationSettingsError: errorMessage(err) })
      }
    },

    async saveStationSettings(update) {
      const res = await attempt(() => deps.transport.request('settings:update', update))
      if (res.ok) {
        set({ stationSettings: res.value, stationSettingsStatus: 'ready', stationSettingsError: null })
        // A new site key applies at once: the device key panel shows it.
        if (update.deviceKey !== undefined) void get().loadDeviceKey()
      }
      return res
    },
  })
