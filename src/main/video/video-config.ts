/** Live-video limits and timings, from environment variables (STATION_VIDEO_*), with defaults that serve. */

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
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  }
  return n
}

export function loadVideoConfig(env: NodeJS.ProcessEnv = process.env): VideoConfig {
  const tls = (env.STATION_VIDEO_TLS_VERIFY ?? 'true').toLowerCase()
  if (!['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(tls)) {
    throw new Error(`STATION_VIDEO_TLS_VERIFY must be true or false, got "${tls}"`)
  }
  const backoffMinMs = int(env, 'STATION_VIDEO_BACKOFF_MIN_MS', 1000, 10, 600_000)
  return {
    maxFrameBytes: int(env, 'STATION_VIDEO_MAX_FRAME_BYTES', 2 * 1024 * 1024, 16 * 1024, 64 * 1024 * 1024),
    offlineAfterMs: int(env, 'STATION_VIDEO_OFFLINE_MS', 10_000, 100, 3_600_000),
    backoffMinMs,
    backoffMaxMs: int(env, 'STATION_VIDEO_BACKOFF_MAX_MS', 30_000, backoffMinMs, 3_600_000),
    connectTimeoutMs: int(env, 'STATION_VIDEO_CONNECT_TIMEOUT_MS', 5000, 100, 120_000),
    idleLingerMs: int(env, 'STATION_VIDEO_IDLE_LINGER_MS', 5000, 0, 3_600_000),
    viewerStallMs: int(env, 'STATION_VIDEO_VIEWER_STALL_MS', 60_000, 1000, 3_600_000),
    maxViewers: int(env, 'STATION_VIDEO_MAX_VIEWERS', 1000, 1, 100_000),
    streamTokenTtlMs: int(env, 'STATION_VIDEO_STREAM_TOKEN_TTL_MS', 60_000, 1000, 3_600_000),
    tlsVerify: ['1', 'true', 'yes', 'on'].includes(tls),
    liveStatsIntervalMs: int(env, 'STATION_VIDEO_LIVE_STATS_MS', 5000, 500, 3_600_000),
  }
}

export function videoSummary(c: VideoConfig): string {
  return `  • Live video: frames ≤${Math.round(c.maxFrameBytes / 1024)} KiB, offline after ${c.offlineAfterMs / 1000}s without a frame, reconnect backoff ${c.backoffMinMs}ms..${c.backoffMaxMs / 1000}s, max ${c.maxViewers} viewers`
}
