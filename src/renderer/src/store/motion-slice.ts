/**
 * Which cameras are in motion now: loaded from the detectors' figures, then kept by the live
 * `camera.motion` messages (tiles show a badge while it lasts).
 */
import type { LiveEvents } from '../../../shared/contract'
import { NO_ARGS } from '../transport/types'
import type { Slice, StoreDeps } from './types'

export interface CameraMotion {
  /** Share of the watched area that moved (at the start; the peak once it ended). */
  area: number
  /** Epoch ms it started. */
  since: number
}

export interface MotionData {
  /** Cameras in motion now, by id. */
  motion: Record<number, CameraMotion>
}

export interface MotionSlice extends MotionData {
  loadMotion(): Promise<void>
  applyMotion(msg: LiveEvents['camera.motion']): void
}

export const MOTION_INITIAL: MotionData = { motion: {} }

export const createMotionSlice =
  (deps: StoreDeps): Slice<MotionSlice> =>
  (set, get) => ({
    ...MOTION_INITIAL,

    async loadMotion() {
      try {
        const stats = await deps.transport.request('motion:stats', NO_ARGS)
        const now = deps.now?.() ?? Date.now()
        set({
          motion: Object.fromEntries(
            stats.cameras
              .filter((c) => c.state === 'motion')
              .map((c) => [c.cameraId, { area: c.lastArea, since: c.lastFrameAt ?? now }]),
          ),
        })
      } catch {
        // Badges then come with the next live message.
      }
    },

    applyMotion(msg) {
      const motion = { ...get().motion }
      if (msg.state === 'start') motion[msg.cameraId] = { area: msg.area, since: msg.at }
      else delete motion[msg.cameraId]
      set({ motion })
    },
  })
