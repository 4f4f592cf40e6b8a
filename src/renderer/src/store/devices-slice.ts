/**
 * Devices with their online state and the latest value of each sensor. Live readings go to the
 * reading bus at once (charts) and into the store coalesced, at most a few times a second.
 */
import type { LiveEvents } from '../../../shared/contract'
import type { Device, SensorLatest } from '../../../shared/schemas/entities'
import { NO_ARGS } from '../transport/types'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

export interface DevicesData {
  devices: Device[]
  /** deviceId → sensor → latest value. */
  latest: Record<string, Record<string, SensorLatest>>
  devicesStatus: LoadStatus
  devicesError: string | null
}

export interface DevicesSlice extends DevicesData {
  loadDevices(): Promise<void>
  loadDevice(id: string): Promise<void>
  applyDeviceStatus(msg: LiveEvents['device.status']): void
  /** Merges a batch of live readings into the latest values (one store update per batch). */
  applyReadings(batch: LiveEvents['reading'][]): void
  deviceSaved(device: Device): void
  deviceRemoved(id: string): void
}

export const DEVICES_INITIAL: DevicesData = {
  devices: [],
  latest: {},
  devicesStatus: 'idle',
  devicesError: null,
}

export const createDevicesSlice =
  (deps: StoreDeps): Slice<DevicesSlice> =>
  (set, get) => {
    /** Devices being fetched: a burst of readings from a new device fetches it once. */
    const fetching = new Set<string>()
    return {
      ...DEVICES_INITIAL,

      async loadDevices() {
        set({ devicesStatus: get().devices.length ? 'ready' : 'loading', devicesError: null })
        try {
          const devices = await deps.transport.request('devices:list', NO_ARGS)
          set({ devices, devicesStatus: 'ready' })
        } catch (err) {
          set({ devicesStatus: 'error', devicesError: errorMessage(err) })
        }
      },

      async loadDevice(id) {
        if (fetching.has(id)) return
        fetching.add(id)
        try {
          const detail = await deps.transport.request('devices:get', { id })
          const { sensors, ...device } = detail
          get().deviceSaved(device)
          set({
            latest: { ...get().latest, [id]: Object.fromEntries(sensors.map((s) => [s.sensor, s])) },
          })
        } catch (err) {
          set({ devicesError: errorMessage(err) })
        } finally {
          fetching.delete(id)
        }
      },

      applyDeviceStatus(msg) {
        const devices = get().devices
        const i = devices.findIndex((d) => d.id === msg.deviceId)
        if (i === -1) {
          // A device registered itself: fetch it with its name and sensors.
          void get().loadDevice(msg.deviceId)
          return
        }
        const copy = devices.slice()
        copy[i] = { ...devices[i]!, online: msg.online, connected: msg.connected, lastSeenAt: msg.lastSeenAt }
        set({ devices: copy })
      },

      applyReadings(batch) {
        if (batch.length === 0) return
        const latest = { ...get().latest }
        const unknown = new Set<string>()
        const known = new Set(get().devices.map((d) => d.id))
        for (const r of batch) {
          const prev = latest[r.deviceId]?.[r.sensor]
          if (prev && prev.ts > r.ts) continue
          latest[r.deviceId] = {
            ...latest[r.deviceId],
            [r.sensor]: { sensor: r.sensor, value: r.value, unit: r.unit, ts: r.ts },
          }
          if (!known.has(r.deviceId)) unknown.add(r.deviceId)
        }
        set({ latest })
        for (const id of unknown) void get().loadDevice(id)
      },

      deviceSaved(device) {
        const devices = get().devices
        const i = devices.findIndex((d) => d.id === device.id)
        set({
          devices: i === -1 ? [...devices, device] : devices.map((d) => (d.id === device.id ? device : d)),
        })
      },

      deviceRemoved(id) {
        const latest = { ...get().latest }
        delete latest[id]
        set({ devices: get().devices.filter((d) => d.id !== id), latest })
      },
    }
  }
