/**
 * A camera source produces the camera's units; the camera's channel hands them to every consumer. One
 * source per camera, made by the factory registered for the camera's kind (./registry.ts): push (the
 * camera sends), MJPEG and snapshot (the station pulls JPEGs); RTSP (H.264/H.265 as fMP4) is one more
 * factory producing video units.
 */
import type { CameraKind } from '../../../shared/constants'
import type { InitSegment, VideoFragment } from '../pipeline/units'

/** What a source reports to its channel. */
export interface SourceSink {
  /**
   * A whole, validated JPEG, exactly as the camera sent it. `receivedAt` (performance.now()): when it
   * began arriving, if earlier than now (a pushed HTTP body), for the relay latency.
   */
  jpeg(data: Buffer, receivedAt?: number): void
  /** The video stream's init segment (ftyp+moov): before the first fragment, and again when it changes. */
  init(segment: InitSegment): void
  /** One fMP4 fragment (moof+mdat) of the stream the last init segment describes. */
  video(fragment: VideoFragment, receivedAt?: number): void
  /** The camera sent something that is not usable (the source goes on). */
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
  /** What it produces: JPEG units, or video (init segment + fMP4 fragments). */
  readonly media: 'jpeg' | 'video'
  /**
   * Pull sources connect on `start()` and let go on `stop()`: the channel starts them while a consumer
   * needs them (plus a linger) or the camera stays connected. Push sources wait for the camera.
   */
  readonly pull: boolean
  start(): void
  stop(): void
  info(): SourceInfo
  /** Resolves once what `stop()` ended is gone (a child process has exited); absent when nothing lingers. */
  stopped?(): Promise<void>
}
