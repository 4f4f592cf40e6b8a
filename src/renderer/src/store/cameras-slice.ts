/**
 * Cameras and the station's live endpoints for them; camera status changes arrive live. Guards get each
 * camera's view (name, area, kind, state: never a URL); admins also get the admin fields (URL, settings),
 * from the list and from the admin-only `camera.config` messages.
 */
import type { AdminCamera, Camera, StreamEndpoints } from '../../../shared/contract'
import type { LiveEvents } from '../../../shared/contract'
import type { CameraLiveState } from '../../../shared/schemas/live'
import { NO_ARGS } from '../transport/types'
import { errorMessage, type LoadStatus, type Slice, type StoreDeps } from './types'

/** A camera's state in the station's relay, as the live channel last told it. */
export interface CameraHealth {
  state: CameraLiveState
  /** Why it is not online (connection refused, no frame for 10 s, ...). */
  lastError: string | null
  /** When a pull camera is next tried (epoch ms), while it retries. */
  nextRetryAt: number | null
}

export interface CamerasData {
  cameras: Camera[]
  streams: Record<number, StreamEndpoints>
  /** Per camera id; only cameras the live channel reported on since the last load. */
  cameraHealth: Record<number, CameraHealth>
  /** Per camera id: when the station last saw it alive, from its live video stats (fresher than the list). */
  cameraConfirmed: Record<number, number>
  camerasStatus: LoadStatus
  camerasError: string | null
}

export interface CamerasSlice extends CamerasData {
  loadCameras(): Promise<void>
  applyCameraStatus(msg: LiveEvents['camera.status']): void
  /** The `video` part of a live `stats` message: each camera's confirmation time. */
  applyVideoStats(video: unknown): void
  /** Admins: the admin view of a camera changed here or at another desk. */
  applyCameraConfig(camera: AdminCamera): void
  /** Keeps the list in step after an admin's create, update or delete. */
  cameraSaved(camera: AdminCamera): void
  cameraRemoved(id: number): void
}

export const CAMERAS_INITIAL: CamerasData = {
  cameras: [],
  streams: {},
  cameraHealth: {},
  cameraConfirmed: {},
  camerasStatus: 'idle',
  camerasError: null,
}

export const createCamerasSlice =
  (deps: StoreDeps): Slice<CamerasSlice> =>
  (set, get) => {
    const refreshStreams = () =>
      void deps.transport.request('stream:list', NO_ARGS).then(
        (streams) => set({ streams: Object.fromEntries(streams.map((s) => [s.cameraId, s])) }),
        () => {},
      )
    return {
      ...CAMERAS_INITIAL,

      async loadCameras() {
        set({ camerasStatus: get().cameras.length ? 'ready' : 'loading', camerasError: null })
        try {
          const [cameras, streams] = await Promise.all([
            deps.transport.request('cameras:list', NO_ARGS),
            deps.transport.request('stream:list', NO_ARGS),
          ])
          set({
            cameras,
            streams: Object.fromEntries(streams.map((s) => [s.cameraId, s])),
            camerasStatus: 'ready',
          })
        } catch (err) {
          set({ camerasStatus: 'error', camerasError: errorMessage(err) })
        }
      },

      applyCameraStatus(msg) {
        if (msg.state !== undefined) {
          const health: CameraHealth = {
            state: msg.state,
            lastError: msg.lastError ?? null,
            nextRetryAt: msg.nextRetryAt ?? null,
          }
          set({ cameraHealth: { ...get().cameraHealth, [msg.cameraId]: health } })
        }
        // An admin (here or at another desk) added or changed the camera: its stream endpoints follow.
        if (msg.camera) refreshStreams()
        const cameras = get().cameras
        const i = cameras.findIndex((c) => c.id === msg.cameraId)
        if (i === -1) {
          if (msg.camera) set({ cameras: [...cameras, msg.camera] })
          return
        }
        const current = cameras[i]!
        // A state-only change (connecting, a new error) leaves the camera as it was. The view replaces
        // the fields it carries; an admin's other fields stay until their `camera.config` follows.
        if (msg.camera || current.isOnline !== msg.online) {
          const next: Camera = msg.camera
            ? { ...current, ...msg.camera }
            : {
                ...current,
                isOnline: msg.online,
                lastSeenAt: msg.online ? Date.now() : current.lastSeenAt,
                confirmedAt: msg.online ? Date.now() : current.confirmedAt,
              }
          const copy = cameras.slice()
          copy[i] = next
          set({ cameras: copy })
        }
        const s = get().streams[msg.cameraId]
        if (s && s.online !== msg.online)
          set({ streams: { ...get().streams, [msg.cameraId]: { ...s, online: msg.online } } })
      },

      applyVideoStats(video) {
        const cams = (video as { cameras?: unknown } | null)?.cameras
        if (!Array.isArray(cams)) return
        const prev = get().cameraConfirmed
        let next: Record<number, number> | null = null
        for (const c of cams as { id?: unknown; confirmedAt?: unknown }[]) {
          if (typeof c.id !== 'number' || typeof c.confirmedAt !== 'number') continue
          if (prev[c.id] === c.confirmedAt) continue
          next ??= { ...prev }
          next[c.id] = c.confirmedAt
        }
        if (next) set({ cameraConfirmed: next })
      },

      applyCameraConfig(camera) {
        const cameras = get().cameras
        const i = cameras.findIndex((c) => c.id === camera.id)
        set({
          cameras: i === -1 ? [...cameras, camera] : cameras.map((c) => (c.id === camera.id ? camera : c)),
        })
      },

      cameraSaved(camera) {
        const cameras = get().cameras
        const i = cameras.findIndex((c) => c.id === camera.id)
        set({
          cameras: i === -1 ? [...cameras, camera] : cameras.map((c) => (c.id === camera.id ? camera : c)),
        })
        // The stream endpoints follow the camera (enabled, kind): refresh them.
        refreshStreams()
      },

      cameraRemoved(id) {
        const streams = { ...get().streams }
        delete streams[id]
        const cameraHealth = { ...get().cameraHealth }
        delete cameraHealth[id]
        set({ cameras: get().cameras.filter((c) => c.id !== id), streams, cameraHealth })
      },
    }
  }
