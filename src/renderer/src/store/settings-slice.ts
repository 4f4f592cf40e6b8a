/** Layout and settings (persisted): the screen, grid layout, camera order, chart range, alerts. */
import type { Slice } from './types'

export const VIEWS = [
  'cameras',
  'playback',
  'sensors',
  'buzzers',
  'events',
  'reports',
  'stats',
  'admin',
] as const
export type View = (typeof VIEWS)[number]
export const GRID_LAYOUTS = [1, 4, 9, 16] as const
export type GridLayout = (typeof GRID_LAYOUTS)[number]
export const RANGES = ['5m', '1h', '24h', 'custom'] as const
export type RangeKey = (typeof RANGES)[number]
export const RANGE_MS: Record<Exclude<RangeKey, 'custom'>, number> = {
  '5m': 5 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
}

export interface Settings {
  view: View
  layout: GridLayout
  /** Camera ids in the guard's order; cameras not listed follow by id. */
  cameraOrder: number[]
  gridPage: number
  /** The camera shown alone at full rate, or null. */
  fullscreenCamera: number | null
  selectedDevice: string | null
  range: RangeKey
  customRange: { from: number; to: number } | null
  /** This desk's sound (events and alarms) and notifications are off. */
  muted: boolean
  desktopNotifications: boolean
  /** A critical alarm brings this desk's window to the front. */
  raiseForCritical: boolean
}

export interface SettingsSlice {
  settings: Settings
  setView(view: View): void
  setLayout(layout: GridLayout): void
  setGridPage(page: number): void
  moveCamera(id: number, toIndex: number, allIds: number[]): void
  openFullscreen(cameraId: number | null): void
  selectDevice(id: string | null): void
  setRange(range: RangeKey, custom?: { from: number; to: number }): void
  setMuted(muted: boolean): void
  setDesktopNotifications(on: boolean): void
  setRaiseForCritical(on: boolean): void
}

export const DEFAULT_SETTINGS: Settings = {
  view: 'cameras',
  layout: 4,
  cameraOrder: [],
  gridPage: 0,
  fullscreenCamera: null,
  selectedDevice: null,
  range: '1h',
  customRange: null,
  muted: false,
  desktopNotifications: true,
  raiseForCritical: true,
}

/** Cameras in the guard's order: ordered ids first, the rest by id. */
export function orderCameras<T extends { id: number }>(cameras: T[], order: number[]): T[] {
  const pos = new Map(order.map((id, i) => [id, i]))
  return [...cameras].sort((a, b) => {
    const pa = pos.get(a.id) ?? Number.MAX_SAFE_INTEGER
    const pb = pos.get(b.id) ?? Number.MAX_SAFE_INTEGER
    return pa !== pb ? pa - pb : a.id - b.id
  })
}

export const createSettingsSlice: Slice<SettingsSlice> = (set) => {
  const patch = (p: Partial<Settings>) => set((s) => ({ settings: { ...s.settings, ...p } }))
  return {
    settings: DEFAULT_SETTINGS,
    setView: (view) => patch({ view, fullscreenCamera: null }),
    setLayout: (layout) => patch({ layout, gridPage: 0 }),
    setGridPage: (gridPage) => patch({ gridPage: Math.max(0, gridPage) }),
    moveCamera: (id, toIndex, allIds) =>
      set((s) => {
        const order = orderCameras(
          allIds.map((i) => ({ id: i })),
          s.settings.cameraOrder,
        ).map((c) => c.id)
        const from = order.indexOf(id)
        if (from === -1) return s
        order.splice(from, 1)
        order.splice(Math.max(0, Math.min(toIndex, order.length)), 0, id)
        return { settings: { ...s.settings, cameraOrder: order } }
      }),
    openFullscreen: (fullscreenCamera) => patch({ fullscreenCamera }),
    selectDevice: (selectedDevice) => patch({ selectedDevice }),
    setRange: (range, custom) =>
      patch(range === 'custom' ? { range, customRange: custom ?? null } : { range }),
    setMuted: (muted) => patch({ muted }),
    setDesktopNotifications: (desktopNotifications) => patch({ desktopNotifications }),
    setRaiseForCritical: (raiseForCritical) => patch({ raiseForCritical }),
  }
}
