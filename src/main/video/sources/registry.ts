/**
 * Which source a camera gets, by its kind: one factory per kind. A factory gets the camera's relay view
 * (URL and credentials: they stay in the main process), the channel's sink, and the station's source
 * settings. Registering a kind is one line:
 *
 *   registry.register('rtsp', (camera, sink, env) => new RtspSource(camera, sink, env))
 *
 * A camera whose kind has no factory is `unavailable` (viewers are refused with the reason).
 */
import type { CameraKind } from '../../../shared/constants'
import type { RelayCamera } from '../../cameras/views'
import type { VideoConfig } from '../video-config'
import type { FfmpegLocation } from '../ffmpeg/locate'
import type { PullTimings } from './pull-source'
import type { CameraSource, SourceSink } from './source'

/** The station's settings every source may use. */
export interface SourceEnv {
  /** Largest frame (JPEG, fragment) accepted from a camera. */
  maxFrameBytes: number
  http: { connectTimeoutMs: number; tlsVerify: boolean }
  timings: PullTimings
  /** Where ffmpeg is (RTSP cameras), or why there is none; undefined when not looked for. */
  ffmpeg?: FfmpegLocation | undefined
  /** Sources' own log lines (ffmpeg's stderr, aggregated and redacted). */
  log?: { warn: (obj: object, msg: string) => void } | undefined
}

export function sourceEnv(config: VideoConfig): SourceEnv {
  return {
    maxFrameBytes: config.maxFrameBytes,
    http: { connectTimeoutMs: config.connectTimeoutMs, tlsVerify: config.tlsVerify },
    timings: {
      backoffMinMs: config.backoffMinMs,
      backoffMaxMs: config.backoffMaxMs,
      frameTimeoutMs: config.offlineAfterMs,
    },
  }
}

/**
 * Which of a camera's streams a source serves: `main` (full resolution), `sub` (the camera's smaller
 * stream: grid tiles, detectors) or `transcoded` (low-resolution H.264 made by the station from the sub
 * stream, or the main one: the last resort for viewers that cannot decode the camera's codec). JPEG
 * cameras have `main` only.
 */
export type StreamName = 'main' | 'sub' | 'transcoded'

export type SourceFactory = (
  camera: RelayCamera,
  sink: SourceSink,
  env: SourceEnv,
  stream: StreamName,
) => CameraSource

/** Thrown by a factory (or the registry) when the camera cannot have a source: the message says why. */
export class SourceUnavailableError extends Error {}

export class SourceRegistry {
  private readonly factories = new Map<CameraKind, SourceFactory>()

  /** Registers (or replaces) the factory of a kind. */
  register(kind: CameraKind, factory: SourceFactory): this {
    this.factories.set(kind, factory)
    return this
  }

  has(kind: CameraKind): boolean {
    return this.factories.has(kind)
  }

  /** The camera's source; throws SourceUnavailableError with the reason when it can have none. */
  create(camera: RelayCamera, sink: SourceSink, env: SourceEnv, stream: StreamName = 'main'): CameraSource {
    const factory = this.factories.get(camera.kind)
    if (!factory) throw new SourceUnavailableError(`${camera.kind.toUpperCase()} cameras are not relayed`)
    try {
      return factory(camera, sink, env, stream)
    } catch (err) {
      if (err instanceof SourceUnavailableError) throw err
      throw new SourceUnavailableError(
        `the camera's source could not start: ${err instanceof Error ? err.message : String(err)}`,
      )
    }
  }
}
