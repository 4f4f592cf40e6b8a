/** The live player's API and figures (live-player.ts implements them). */
import type { AppendQueueOptions } from './append-queue'
import type { LiveEdgeOptions } from './live-edge'

/**
 * idle: no codec yet · starting: MediaSource opening or waiting for the first frames · playing ·
 * unsupported: the codec cannot be decoded here · paused: released by the caller (hidden tile) ·
 * error: decoding failed (set a codec or resume to start again) · destroyed.
 */
export type PlayerMode = 'idle' | 'starting' | 'playing' | 'unsupported' | 'paused' | 'error' | 'destroyed'

export interface PlayerStatus {
  mode: PlayerMode
  codec: string | null
  /** For a guard: why there is no picture (unsupported codec, decode error). */
  message: string | null
}

export interface LivePlayerStats {
  mode: PlayerMode
  codec: string | null
  framesAppended: number
  fragmentsAppended: number
  bytesAppended: number
  /** Frames the queue skipped to reach a keyframe (or refused before the first one). */
  framesDropped: number
  queued: number
  /** Seconds from the playhead to the buffered end (null with nothing buffered). */
  latencyS: number | null
  bufferedS: number
  jumps: number
  playbackRate: number
  /** From getVideoPlaybackQuality() (null where it does not exist). */
  decodedFrames: number | null
  droppedFrames: number | null
  quotaErrors: number
  rebases: number
  width: number
  height: number
}

export interface LivePlayerOptions {
  /** Seconds of video kept behind the playhead (10). */
  keepBehindS?: number
  /** Trim only once this much more is behind (5): removes come every few seconds. */
  trimSlackS?: number
  queue?: AppendQueueOptions
  liveEdge?: Partial<LiveEdgeOptions>
  /** How often the keeper looks (250 ms). */
  keeperMs?: number
  onStatus?: (s: PlayerStatus) => void
  /** Codec support (default: MediaSource.isTypeSupported). */
  canPlay?: (codec: string) => boolean
}

export interface LivePlayer {
  /** Announces the stream's codec: starts (or re-creates) the MediaSource; false when it cannot play here. */
  setCodec(codec: string): boolean
  /** An init segment (ftyp+moov) or a fragment (moof+mdat). */
  push(segment: ArrayBuffer | Uint8Array): void
  /** Releases the MediaSource (a hidden tile); pushes are ignored until resume(). */
  pause(): void
  resume(): void
  destroy(): void
  status(): PlayerStatus
  stats(): LivePlayerStats
}
