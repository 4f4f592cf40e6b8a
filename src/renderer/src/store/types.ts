/** The station store's shape: one zustand store composed of typed slices. */
import type { StateCreator } from 'zustand'
import type { StateStorage } from 'zustand/middleware'
import type { StationEvent } from '../../../shared/schemas/entities'
import type { Transport } from '../transport/types'
import type { Alarm } from '../../../shared/contract'
import type { AdminSlice } from './admin-slice'
import type { AlarmsSlice } from './alarms-slice'
import type { AuditSlice } from './audit-slice'
import type { BuzzersSlice } from './buzzers-slice'
import type { CamerasSlice } from './cameras-slice'
import type { ConnectionSlice } from './connection-slice'
import type { DevicesSlice } from './devices-slice'
import type { EventsSlice } from './events-slice'
import type { MotionSlice } from './motion-slice'
import type { ReadingBus } from './reading-bus'
import type { RulesSlice } from './rules-slice'
import type { PlaybackSlice } from './playback-slice'
import type { SessionSlice } from './session-slice'
import type { SettingsSlice } from './settings-slice'
import type { StationSettingsSlice } from './station-settings-slice'
import type { StatsSlice } from './stats-slice'
import type { StatsSeries } from './stats-series'
import type { StorageSlice } from './storage-slice'
import type { StreamTokens } from '../video/stream-tokens'

export type StationState = SessionSlice &
  ConnectionSlice &
  CamerasSlice &
  MotionSlice &
  DevicesSlice &
  BuzzersSlice &
  EventsSlice &
  AlarmsSlice &
  StatsSlice &
  SettingsSlice &
  AdminSlice &
  StationSettingsSlice &
  AuditSlice &
  PlaybackSlice &
  StorageSlice &
  RulesSlice

/** What the store needs from the outside world; passed in, so tests use fakes and no module is a singleton. */
export interface StoreDeps {
  transport: Transport
  /** Where layout and settings persist (localStorage in the page). */
  storage: StateStorage
  /** Where the session token lives across reloads (sessionStorage in the page). */
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  /** Sound and desktop notification for a new event (the store checks the mute setting first). */
  alert?: (event: StationEvent) => void
  /** A new active alarm arrived live: desktop notification, window to the front (the store checks mute). */
  onNewAlarm?: (alarm: Alarm) => void
  now?: () => number
  readings: ReadingBus
  series: StatsSeries
  /** How video tiles reach the station's stream endpoints (absent in tests without a page). */
  video?: { wsBaseUrl: string; tokens: StreamTokens }
}

export type Slice<T> = StateCreator<StationState, [['zustand/persist', unknown]], [], T>

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
