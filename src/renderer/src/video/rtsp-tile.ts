/**
 * What an RTSP camera's tile asks the station for and what it says about the video it shows: pure
 * decisions, so they are tested without a page (the tile itself is CameraTile with MseVideo).
 */
import type { CameraKind } from '../../../shared/constants'
import type { CameraStreamKind, Fmp4StreamMode } from '../../../shared/schemas/fmp4-stream'
import { codecName } from './mse/codecs'
import type { MseStreamStatus } from './mse/mse-stream'

/** RTSP cameras play fMP4 through MSE; push, MJPEG and snapshot cameras stay JPEG frames on a canvas. */
export const playsThroughMse = (kind: CameraKind): boolean => kind === 'rtsp'

/**
 * The stream a tile asks for: the main stream when the tile fills the screen (fullscreen, a one-tile grid),
 * else the sub stream when the camera has one. A camera view without `hasSubStream` (an older station) has
 * none.
 */
export function tileStream(
  camera: { kind: CameraKind; hasSubStream?: boolean },
  fullSize: boolean,
): CameraStreamKind {
  return !fullSize && camera.hasSubStream === true ? 'sub' : 'main'
}

/** The tile's small codec label: "H.264", "H.265", "H.264 · sub stream (main is H.265)", "H.264 · transcoded". */
export function videoLabel(codec: string | null, mode: Fmp4StreamMode | null): string | null {
  if (!codec) return null
  const name = codecName(codec)
  if (mode === 'sub') return `${name} · sub stream (main is H.265)`
  if (mode === 'transcoded') return `${name} · transcoded`
  return name
}

export interface RtspTileView {
  /** The codec label, once the station announced the stream. */
  label: string | null
  /** Why no picture can be shown, in words for a guard (null while there is no such problem). */
  problem: string | null
  /** A picture is on screen and moving. */
  playing: boolean
}

/** A reason as the end of a sentence: "camera offline" → "camera offline." */
const sentence = (reason: string): string => `${reason.trim().replace(/[.\s]+$/, '')}.`

/** What the tile shows for a stream's status (src/renderer/src/video/mse/mse-stream.ts). */
export function rtspTileView(s: MseStreamStatus): RtspTileView {
  const codec = s.player.codec
  const label = videoLabel(codec, s.mode)
  const what = codec ? `This camera's video (${codecName(codec)})` : "This camera's video"
  const retry = s.retryAt !== null ? ' Retrying…' : ''
  let problem: string | null = null
  if (s.player.mode === 'unsupported') problem = `${what} cannot be shown here`
  else if (s.error) problem = `${what} cannot be shown here: ${sentence(s.error)}${retry}`
  else if (s.player.mode === 'error')
    problem = `${what} cannot be shown here: ${sentence(s.player.message ?? 'decoding failed')}${retry}`
  return { label, problem, playing: s.player.mode === 'playing' }
}

export const sameView = (a: RtspTileView, b: RtspTileView): boolean =>
  a.label === b.label && a.problem === b.problem && a.playing === b.playing
