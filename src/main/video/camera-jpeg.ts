/**
 * One JPEG of a camera, for whoever needs a still outside a viewer (alarm snapshots): a JPEG camera's
 * latest frame (the next one when none is recent, connecting a pull camera for it), a video camera's
 * latest key frame decoded by `KeyframeSnapshots`. Answers why there is none instead of throwing, so
 * callers can record the reason.
 */
import type { VideoHub } from './video-hub'

export type CameraJpeg = { ok: true; data: Buffer; wallAt: number } | { ok: false; reason: string }

/** States in which a camera gives no picture: asking would only wait for the timeout. */
const NO_PICTURE: Record<string, string> = {
  offline: 'the camera is offline',
  disabled: 'the camera is turned off',
  unavailable: 'the camera cannot be shown',
}

export async function cameraJpeg(hub: VideoHub, cameraId: number, waitMs: number): Promise<CameraJpeg> {
  const ch = hub.channel(cameraId)
  if (!ch) return { ok: false, reason: 'the camera does not exist' }
  const state = ch.state()
  const why = NO_PICTURE[state] ?? ch.usable
  if (why) return { ok: false, reason: why }
  try {
    if (ch.media === 'video') {
      if (!hub.snapshots) return { ok: false, reason: 'ffmpeg was not found' }
      const key = await ch.keyframe(waitMs)
      if (!key) return { ok: false, reason: 'the camera sent no picture in time' }
      const data = await hub.snapshots.get(ch.id, key.init, key.unit)
      return { ok: true, data, wallAt: key.unit.wallAt }
    }
    const frame = await ch.snapshot(waitMs)
    if (!frame) return { ok: false, reason: 'the camera sent no picture in time' }
    return { ok: true, data: frame.data, wallAt: frame.wallAt }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) }
  }
}
