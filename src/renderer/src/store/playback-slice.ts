/**
 * Playback: which cameras are played together (up to four), the timeline's visible window, each camera's
 * timeline (recorded ranges and marks) for it, the export range a guard marked, and export jobs with their
 * progress. Video never passes through here: players fetch segments themselves (video/playback).
 */
import type { ExportJob, RecordingTimeline } from '../../../shared/contract'
import { attempt, type ActionResult } from './result'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'
import { dayOf, type Window } from '../video/playback/time-scale'

export const MAX_PLAYBACK_CAMERAS = 4
/** Opening Playback at a moment shows this much of the timeline either side of it. */
export const PLAYBACK_AROUND_MS = 15 * 60_000

export interface PlaybackData {
  playbackCameras: number[]
  /** The visible part of the timeline (epoch ms). */
  playbackWindow: Window
  timelines: Record<number, RecordingTimeline>
  timelinesStatus: LoadStatus
  timelinesError: string | null
  /** The range to export, marked on the timeline (I / O), or null. */
  exportRange: { from: number | null; to: number | null }
  exportJobs: ExportJob[]
  /** A moment to show once (an alarm's clip, a `#/playback?camera=&at=` link); the screen seeks there. */
  playbackSeek: number | null
}

export interface PlaybackSlice extends PlaybackData {
  togglePlaybackCamera(id: number): void
  /** Opens Playback on one camera at a moment (the window around it), e.g. an alarm's recorded clip. */
  openPlaybackAt(cameraId: number, at: number): void
  /** The screen took the moment to seek to. */
  takePlaybackSeek(): number | null
  setPlaybackWindow(w: Window): void
  loadTimelines(): Promise<void>
  setExportRange(r: { from?: number | null; to?: number | null }): void
  startExport(cameraId: number, from: number, to: number): Promise<ActionResult<ExportJob>>
  refreshExports(): Promise<void>
  cancelExport(id: string): Promise<void>
}

export const PLAYBACK_INITIAL = (now = Date.now()): PlaybackData => ({
  playbackCameras: [],
  playbackWindow: dayOf(now),
  timelines: {},
  timelinesStatus: 'idle',
  timelinesError: null,
  exportRange: { from: null, to: null },
  exportJobs: [],
  playbackSeek: null,
})

const unfinished = (j: ExportJob) => j.state === 'queued' || j.state === 'running'

export const createPlaybackSlice =
  (deps: StoreDeps): Slice<PlaybackSlice> =>
  (set, get) => {
    let loadSeq = 0
    return {
      ...PLAYBACK_INITIAL(deps.now?.() ?? Date.now()),

      togglePlaybackCamera(id) {
        const ids = get().playbackCameras
        const next = ids.includes(id)
          ? ids.filter((x) => x !== id)
          : ids.length < MAX_PLAYBACK_CAMERAS
            ? [...ids, id]
            : ids
        set({ playbackCameras: next })
        void get().loadTimelines()
      },

      openPlaybackAt(cameraId, at) {
        set({
          playbackCameras: [cameraId],
          playbackWindow: { from: at - PLAYBACK_AROUND_MS, to: at + PLAYBACK_AROUND_MS },
          playbackSeek: at,
        })
        if (get().settings.view !== 'playback') get().setView('playback')
        void get().loadTimelines()
      },

      takePlaybackSeek() {
        const at = get().playbackSeek
        if (at !== null) set({ playbackSeek: null })
        return at
      },

      setPlaybackWindow(w) {
        set({ playbackWindow: w })
        void get().loadTimelines()
      },

      async loadTimelines() {
        const seq = ++loadSeq
        const { playbackCameras: ids, playbackWindow: w } = get()
        if (ids.length === 0) {
          set({ timelines: {}, timelinesStatus: 'ready' })
          return
        }
        // The whole local day around the window (a day at a glance, zooming needs no new request), wider
        // when the window spans midnight.
        const from = Math.min(dayOf(w.from).from, w.from)
        const to = Math.max(dayOf(w.to - 1).to, w.to)
        const have = ids.every((id) => {
          const t = get().timelines[id]
          return t && t.from <= from && t.to >= to
        })
        if (have) return
        set({ timelinesStatus: 'loading', timelinesError: null })
        try {
          const got = await Promise.all(
            ids.map((cameraId) => deps.transport.request('recordings:timeline', { cameraId, from, to })),
          )
          if (seq !== loadSeq) return
          set({
            timelines: Object.fromEntries(got.map((t) => [t.cameraId, t])),
            timelinesStatus: 'ready',
          })
        } catch (err) {
          if (seq === loadSeq) set({ timelinesStatus: 'error', timelinesError: errorMessage(err) })
        }
      },

      setExportRange(r) {
        const cur = get().exportRange
        set({
          exportRange: {
            from: r.from !== undefined ? r.from : cur.from,
            to: r.to !== undefined ? r.to : cur.to,
          },
        })
      },

      async startExport(cameraId, from, to) {
        const res = await attempt(() => deps.transport.request('exports:start', { cameraId, from, to }))
        if (res.ok) set({ exportJobs: [res.value, ...get().exportJobs] })
        return res
      },

      async refreshExports() {
        const open = get().exportJobs.filter(unfinished)
        if (open.length === 0) return
        const fresh = await Promise.all(
          open.map((j) => deps.transport.request('exports:get', { id: j.id }).catch(() => null)),
        )
        const byId = new Map(fresh.filter((j): j is ExportJob => j !== null).map((j) => [j.id, j]))
        set({ exportJobs: get().exportJobs.map((j) => byId.get(j.id) ?? j) })
      },

      async cancelExport(id) {
        await deps.transport.request('exports:cancel', { id }).catch(() => null)
        set({ exportJobs: get().exportJobs.filter((j) => j.id !== id) })
      },
    }
  }

export const hasUnfinishedExports = (jobs: readonly ExportJob[]): boolean => jobs.some(unfinished)
