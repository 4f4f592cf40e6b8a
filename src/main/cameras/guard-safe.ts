/**
 * What guards learn about a camera's trouble. An admin may point a pull camera at any host, so its
 * detailed error ("connection refused", "not an MJPEG stream", "401 from 10.0.0.7:8080") would map the
 * LAN's services for anyone who can add a camera and read the result; guards need only to know the camera
 * is not delivering. Admins keep the detail (live messages sent to admins only, and the admin answers).
 */
import type { VideoStats } from '../video/video-stats'
import { FFMPEG_MISSING, FFMPEG_SETTING_BROKEN } from '../video/ffmpeg/resolve-ffmpeg'

export const GUARD_CAMERA_ERROR = 'unreachable'

/**
 * Troubles of the station itself, not of the camera's host: they say nothing about the LAN, and a guard
 * must be told plainly (an RTSP camera that cannot be shown because this station has no ffmpeg is not
 * "unreachable").
 */
const STATION_SIDE = new Set<string>([FFMPEG_MISSING, FFMPEG_SETTING_BROKEN, 'camera is disabled'])

/** The error a guard sees for a camera: the fact that there is one, never its detail. */
export function guardError<E extends string | null | undefined>(detail: E): E | typeof GUARD_CAMERA_ERROR {
  if (detail && STATION_SIDE.has(detail)) return detail
  return detail ? GUARD_CAMERA_ERROR : detail
}

/** Video statistics as guards see them (errors without detail). */
export function guardStats(stats: VideoStats): VideoStats {
  return {
    ...stats,
    cameras: stats.cameras.map((c) => ({
      ...c,
      lastError: guardError(c.lastError),
      lastProblem: guardError(c.lastProblem),
    })),
  }
}
