/**
 * Which of a camera's streams a video viewer gets. A viewer asks for `main` (fullscreen) or `sub` (grid
 * tiles) and says whether it can decode H.265. H.264 plays everywhere; H.265 is fed as is to a viewer
 * that can decode it (Electron on Windows and macOS, Safari), otherwise the viewer falls back to the
 * camera's sub stream (often H.264 even when the main stream is H.265), otherwise to the station's
 * low-resolution H.264 transcode (costly: one ffmpeg encoding per camera, shared by every such viewer).
 * The viewer is told which of these it is getting (`mode`), so a tile can show it.
 */
import type { StreamName } from './sources/registry'
import type { InitSegment } from './pipeline/units'

/** direct: the stream asked for, as the camera sends it · sub: the camera's sub stream instead · transcoded. */
export type StreamMode = 'direct' | 'sub' | 'transcoded'

export interface StreamChoice {
  stream: StreamName
  mode: StreamMode
}

export interface ViewerAbilities {
  /** The viewer's player decodes H.265 (it said so: MediaSource.isTypeSupported). */
  hevc: boolean
}

export function firstChoice(asked: 'main' | 'sub'): StreamChoice {
  return { stream: asked, mode: 'direct' }
}

/** Whether the viewer can play a stream with this init segment. */
export function playable(init: InitSegment, abilities: ViewerAbilities): boolean {
  return init.codec === 'h264' || abilities.hevc
}

/**
 * Where to go when the current stream turned out to be unplayable: the sub stream (if the camera has one
 * and it was not tried), then the transcode; null when nothing is left.
 */
export function fallback(current: StreamChoice, hasSub: boolean): StreamChoice | null {
  if (current.stream === 'main' && hasSub) return { stream: 'sub', mode: 'sub' }
  if (current.stream !== 'transcoded') return { stream: 'transcoded', mode: 'transcoded' }
  return null
}
