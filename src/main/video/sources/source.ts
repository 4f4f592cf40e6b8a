/**
 * A camera source produces the camera's frames; the camera's channel relays them to any number of
 * viewers. One source per camera: push (the camera sends), MJPEG and snapshot (the station pulls);
 * RTSP/H.264 will be one more implementation of the same interface.
 */
import type { CameraKind } from '../../../shared/constants'

/** What a source reports to its channel. */
export interface SourceSink {
  /** A whole, validated JPEG, exactly as the camera sent it. */
  frame(data: Buffer): void
  /** The camera sent something that is not a usable frame (the source goes on). */
  problem(message: string): void
  /** The source's connection status changed (connecting, connected, waiting to retry...). */
  statusChanged(): void
}

/** stopped: no connection wanted · connecting · connected · waiting: failed, retry at `nextRetryAt`. */
export type SourceStatus = 'stopped' | 'connecting' | 'connected' | 'waiting'

export interface SourceInfo {
  status: SourceStatus
  lastError: string | null
  /** Epoch ms of the next connection attempt while `waiting`. */
  nextRetryAt: number | null
  /** Connection attempts after a failure or a lost connection. */
  reconnects: number
  /** Connections open to the camera right now (0 or 1 for pull sources). */
  connections: number
}

export interface CameraSource {
  readonly kind: CameraKind
  /** Pull sources connect on `start()`; push sources wait for the camera. */
  readonly pull: boolean
  start(): void
  stop(): void
  info(): SourceInfo
}
