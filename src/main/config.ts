/** Station configuration from environment variables, with defaults that serve on first run. */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_PORT } from '../shared/constants'
import { loadVideoConfig, type VideoConfig } from './video/video-config'

export interface QueueConfig {
  /** Longest a write may wait before it is committed (ms). Commits happen sooner whenever the writer is free. */
  maxWaitMs: number
  /** A flush starts at once when this many items are pending. */
  batchSize: number
  /** Past this many pending items the station answers 503 instead of growing memory. */
  maxPending: number
}

export interface StationConfig {
  port: number
  host: string
  dataDir: string
  useDb: boolean
  adminPassword: string | undefined
  deviceKey: string | undefined
  rateLimitMax: number
  nodeEnv: string
  readPoolSize: number
  /** Longest a heavy read may wait for a read worker, and longest it may then run (503 / 504 past it). */
  readTimeoutMs: number
  /** PRAGMA synchronous for the writer: FULL survives power loss, NORMAL survives a crashed process. */
  dbSynchronous: 'FULL' | 'NORMAL'
  cache: { maxEntries: number; defaultTtlMs: number }
  queues: { devices: QueueConfig; readings: QueueConfig; buzzers: QueueConfig }
  sessionTtlMs: number
  deviceOfflineAfterMs: number
  buzzerTimeoutMs: number
  ws: { maxConnections: number; maxPayload: number; pingIntervalMs: number; perMessageDeflate: boolean }
  bodyLimit: number
  /** Mean event-loop delay (ms, over 1 s) past which new device sockets and HTTP readings are refused. */
  overloadDelayMs: number
  /** Live video (STATION_VIDEO_*): frame limit, offline delay, reconnect backoff, viewers. */
  video: VideoConfig
  logLevel: string
  /** Folder of the built renderer to serve in browser mode (optional). */
  rendererDir: string | undefined
  /** The better-sqlite3 native module to load instead of the default (the desktop app's Electron build). */
  nativeBinding?: string
  /** Where the settings came from (set by settings/effective-config): env vars that fix them, the default data folder. */
  origin?: { envVars: readonly string[]; bootstrapDir: string }
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const app = 'guard-station'
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app)
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app)
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), app)
}

function int(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`)
  }
  return n
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new Error(`${name} must be true or false, got "${env[name]}"`)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StationConfig {
  const sync = (env.STATION_DB_SYNCHRONOUS ?? 'FULL').toUpperCase()
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error('STATION_DB_SYNCHRONOUS must be FULL or NORMAL')
  const adminPassword = env.STATION_ADMIN_PASSWORD || undefined
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new Error('STATION_ADMIN_PASSWORD must be at least 10 characters')
  }
  const deviceKey = env.STATION_DEVICE_KEY || undefined
  if (deviceKey !== undefined && deviceKey.length < 16) {
    throw new Error('STATION_DEVICE_KEY must be at least 16 characters')
  }
  return {
    port: int(env, 'STATION_PORT', DEFAULT_PORT, 0, 65535),
    host: env.STATION_HOST || '0.0.0.0',
    dataDir: env.STATION_DATA_DIR || defaultDataDir(env),
    useDb: bool(env, 'USEDB', true),
    adminPassword,
    deviceKey,
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', 1000, 1),
    nodeEnv: env.NODE_ENV || 'production',
    readPoolSize: int(env, 'STATION_READ_POOL_SIZE', 2, 1, 16),
    readTimeoutMs: int(env, 'STATION_READ_TIMEOUT_MS', 15_000, 100, 3_600_000),
    dbSynchronous: sync,
    cache: {
      maxEntries: int(env, 'STATION_CACHE_MAX', 100, 1),
      defaultTtlMs: int(env, 'STATION_CACHE_TTL_MS', 30_000, 1),
    },
    queues: {
      devices: { maxWaitMs: int(env, 'STATION_DEVICE_FLUSH_MS', 100, 1), batchSize: 500, maxPending: 20_000 },
      readings: {
        maxWaitMs: int(env, 'STATION_READING_FLUSH_MS', 200, 1),
        batchSize: 5_000,
        maxPending: int(env, 'STATION_READING_QUEUE_MAX', 100_000, 1),
      },
      buzzers: { maxWaitMs: int(env, 'STATION_BUZZER_FLUSH_MS', 150, 1), batchSize: 500, maxPending: 10_000 },
    },
    sessionTtlMs: int(env, 'STATION_SESSION_TTL_MS', 12 * 60 * 60 * 1000, 1000),
    deviceOfflineAfterMs: int(env, 'STATION_DEVICE_OFFLINE_MS', 60_000, 100),
    buzzerTimeoutMs: int(env, 'STATION_BUZZER_TIMEOUT_MS', 30_000, 100),
    ws: {
      maxConnections: int(env, 'STATION_WS_MAX', 1000, 1),
      maxPayload: int(env, 'STATION_WS_MAX_PAYLOAD', 256 * 1024, 1024),
      pingIntervalMs: int(env, 'STATION_WS_PING_MS', 30_000, 100),
      perMessageDeflate: bool(env, 'STATION_WS_DEFLATE', false),
    },
    bodyLimit: int(env, 'STATION_BODY_LIMIT', 1024 * 1024, 1024),
    overloadDelayMs: int(env, 'STATION_OVERLOAD_DELAY_MS', 200, 10),
    video: loadVideoConfig(env),
    logLevel: env.LOG_LEVEL || 'info',
    rendererDir: env.STATION_RENDERER_DIR || undefined,
  }
}
