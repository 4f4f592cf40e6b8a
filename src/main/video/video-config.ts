/**
 * Live-video limits and timings, from environment variables (STATION_VIDEO_*), with defaults that serve;
 * each variable's limits and default are its entry in the settings catalog (`src/shared/settings/video.ts`).
 */
import { SETTINGS } from '../../shared/settings/catalog'
import { settingReader } from '../../shared/settings/define'
import { VIDEO_SETTINGS as V } from '../../shared/settings/video'

export interface VideoConfig {
  /** Largest frame accepted from a camera (push body, multipart part, snapshot); 413 above. */
  maxFrameBytes: number
  /** No frame for this long marks a camera offline. */
  offlineAfterMs: number
  /** Reconnect backoff of pull cameras: first delay and cap (exponential, with jitter). */
  backoffMinMs: number
  backoffMaxMs: number
  /** Connect and answer-headers timeout of a pull request. */
  connectTimeoutMs: number
  /** A pull camera stays connected this long after its last viewer left (switching views is common). */
  idleLingerMs: number
  /** Pull cameras that are not connected are checked this often (a cheap probe, jittered); 0: never. */
  probeIntervalMs: number
  /** A viewer that has not taken a single frame for this long is disconnected (dead peer). */
  viewerStallMs: number
  /** Open viewers (MJPEG and WebSocket) across the station. */
  maxViewers: number
  /** How long a stream token may be used to open a viewer. */
  streamTokenTtlMs: number
  /** Verify HTTPS certificates of cameras (turn off only for cameras with self-signed certificates). */
  tlsVerify: boolean
  /** How often per-camera stats go out on the live channel. */
  liveStatsIntervalMs: number
  /** The ffmpeg to run (STATION_FFMPEG); unset: the bundled copy, then PATH (`ffmpeg/resolve.ts`). */
  ffmpegPath: string | undefined
  /**
   * The folder holding the desktop app's bundled ffmpeg (`ffmpeg/<platform>-<arch>/ffmpeg[.exe]` inside
   * it): Electron's `process.resourcesPath`. Set by the desktop shell, never from the environment.
   */
  ffmpegResourcesDir?: string
}

export function loadVideoConfig(env: NodeJS.ProcessEnv = process.env): VideoConfig {
  const read = settingReader(env)
  const backoffMinMs = read(V.backoffMinMs)
  const backoffMaxMs = read(V.backoffMaxMs)
  if (backoffMaxMs < backoffMinMs) {
    throw new Error(
      `${V.backoffMaxMs.env} must be at least ${V.backoffMinMs.env} (${backoffMinMs}), got "${backoffMaxMs}"`,
    )
  }
  return {
    maxFrameBytes: read(V.maxFrameBytes),
    offlineAfterMs: read(V.offlineAfterMs),
    backoffMinMs,
    backoffMaxMs,
    connectTimeoutMs: read(V.connectTimeoutMs),
    idleLingerMs: read(V.idleLingerMs),
    probeIntervalMs: read(V.probeIntervalMs),
    viewerStallMs: read(V.viewerStallMs),
    maxViewers: read(V.maxViewers),
    streamTokenTtlMs: read(V.streamTokenTtlMs),
    tlsVerify: read(V.tlsVerify),
    liveStatsIntervalMs: read(V.liveStatsIntervalMs),
    ffmpegPath: read(SETTINGS.ffmpeg),
  }
}

export function videoSummary(c: VideoConfig): string {
  return `  • Live video: frames ≤${Math.round(c.maxFrameBytes / 1024)} KiB, offline after ${c.offlineAfterMs / 1000}s without a frame, reconnect backoff ${c.backoffMinMs}ms..${c.backoffMaxMs / 1000}s, max ${c.maxViewers} viewers`
}
