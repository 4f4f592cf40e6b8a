/**
 * The alarm console's data: every desk's alarms (active first by severity, then newest), kept current by
 * the live `alarm` messages; the guard's selection and its detail (history); the workflow steps
 * (acknowledge, note, assign, resolve). A new active alarm arriving live is handed to `deps.onNewAlarm`
 * (notification, window to the front) and shows the cameras its rule names fullscreen.
 */
import type { Alarm, AlarmDetail } from '../../../shared/contract'
import { sortAlarms } from './alarm-order'
import { attempt, type ActionResult } from './result'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

export const MAX_ALARMS = 300

export type AlarmDialogKind = 'ack' | 'note' | 'assign' | 'resolve'

export interface AlarmsData {
  alarms: Alarm[]
  alarmsStatus: LoadStatus
  alarmsError: string | null
  selectedAlarm: number | null
  /** The selected alarm with its history (null until loaded). */
  alarmDetail: AlarmDetail | null
  /** The workflow dialog open on the selected alarm. */
  alarmDialog: AlarmDialogKind | null
}

export interface AlarmsSlice extends AlarmsData {
  loadAlarms(): Promise<void>
  applyAlarm(alarm: Alarm): void
  selectAlarm(id: number | null): void
  /** j/k, arrows: the next (1) or previous (-1) alarm in the console's order. */
  moveAlarmSelection(delta: 1 | -1): void
  openAlarmDialog(kind: AlarmDialogKind | null): void
  ackAlarm(id: number, note?: string): Promise<ActionResult<Alarm>>
  resolveAlarm(id: number, note?: string): Promise<ActionResult<Alarm>>
  noteAlarm(id: number, note: string): Promise<ActionResult<Alarm>>
  assignAlarm(id: number, assignee: string | null, note?: string): Promise<ActionResult<Alarm>>
}

export const ALARMS_INITIAL: AlarmsData = {
  alarms: [],
  alarmsStatus: 'idle',
  alarmsError: null,
  selectedAlarm: null,
  alarmDetail: null,
  alarmDialog: null,
}

/** Alarms nobody has acknowledged yet: they sound and count in the badge. */
export const activeAlarms = (alarms: readonly Alarm[]): Alarm[] => alarms.filter((a) => a.state === 'active')

const withNote = (note: string | undefined) => {
  const t = note?.trim()
  return t ? { note: t } : {}
}

export const createAlarmsSlice =
  (deps: StoreDeps): Slice<AlarmsSlice> =>
  (set, get) => {
    let detailSeq = 0
    const loadDetail = async (id: number) => {
      const seq = ++detailSeq
      try {
        const detail = await deps.transport.request('alarms:get', { id })
        if (seq === detailSeq && get().selectedAlarm === id) set({ alarmDetail: detail })
      } catch {
        // The list still shows the alarm; the detail says it is loading until the next change.
      }
    }
    const merge = (alarm: Alarm): boolean => {
      const list = get().alarms
      const known = list.some((a) => a.id === alarm.id)
      const next = known ? list.map((a) => (a.id === alarm.id ? alarm : a)) : [alarm, ...list]
      set({ alarms: sortAlarms(next).slice(0, MAX_ALARMS) })
      if (get().selectedAlarm === alarm.id) void loadDetail(alarm.id)
      return !known
    }
    const step = async (run: () => Promise<Alarm>): Promise<ActionResult<Alarm>> => {
      const res = await attempt(run)
      if (res.ok) merge(res.value)
      return res
    }
    return {
      ...ALARMS_INITIAL,

      async loadAlarms() {
        set({ alarmsStatus: get().alarms.length ? 'ready' : 'loading', alarmsError: null })
        try {
          const [open, recent] = await Promise.all([
            deps.transport.request('alarms:list', { state: 'open', limit: 200 }),
            deps.transport.request('alarms:list', { state: 'cleared', limit: 50 }),
          ])
          const byId = new Map([...recent, ...open].map((a) => [a.id, a]))
          set({ alarms: sortAlarms([...byId.values()]), alarmsStatus: 'ready' })
          const sel = get().selectedAlarm
          if (sel !== null) void loadDetail(sel)
        } catch (err) {
          set({ alarmsStatus: 'error', alarmsError: errorMessage(err) })
        }
      },

      applyAlarm(alarm) {
        const isNew = merge(alarm)
        if (!isNew || alarm.state !== 'active') return
        const cameras = alarm.fullscreenCameraIds
        if (cameras.length > 0) {
          const s = get()
          if (s.settings.view !== 'cameras') s.setView('cameras')
          s.openFullscreen(cameras[0]!)
        }
        deps.onNewAlarm?.(alarm)
      },

      selectAlarm(id) {
        set({ selectedAlarm: id, alarmDetail: null, alarmDialog: null })
        if (id !== null) void loadDetail(id)
      },

      moveAlarmSelection(delta) {
        const list = get().alarms
        if (list.length === 0) return
        const at = list.findIndex((a) => a.id === get().selectedAlarm)
        const next = at === -1 ? (delta === 1 ? 0 : list.length - 1) : at + delta
        get().selectAlarm(list[Math.max(0, Math.min(list.length - 1, next))]!.id)
      },

      openAlarmDialog: (alarmDialog) => set({ alarmDialog }),

      ackAlarm: (id, note) => step(() => deps.transport.request('alarms:ack', { id, ...withNote(note) })),
      resolveAlarm: (id, note) =>
        step(() => deps.transport.request('alarms:resolve', { id, ...withNote(note) })),
      noteAlarm: (id, note) => step(() => deps.transport.request('alarms:note', { id, note: note.trim() })),
      assignAlarm: (id, assignee, note) =>
        step(() => deps.transport.request('alarms:assign', { id, assignee, ...withNote(note) })),
    }
  }
