/**
 * Station configuration from environment variables, with defaults that serve on first run. Each
 * variable's type, limits, default and error message come from its entry in the settings catalog
 * (`src/shared/settings/catalog.ts`), which the settings API and form check against too.
 */
import { isIP } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { SETTINGS as S } from '../shared/settings/catalog'
import { settingReader } from '../shared/settings/define'
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
  /** Device times accepted on readings: at most this far behind / ahead of the station's clock. */
  readingTimeWindow: { maxAgeMs: number; maxAheadMs: number }
  ws: { maxConnections: number; maxPayload: number; pingIntervalMs: number; perMessageDeflate: boolean }
  bodyLimit: number
  /**
   * Addresses that may scrape /metrics without a credential (STATION_METRICS_ALLOW): CIDRs or single
   * addresses, normalized to `address/prefix`. Empty: scrapers present the metrics token.
   */
  metricsAllow: string[]
  /** Mean event-loop delay (ms, over 1 s) past which new device sockets and HTTP readings are refused. */
  overloadDelayMs: number
  /** Recording: a new segment file at the first key frame after this many seconds. */
  recording: { segmentS: number }
  /**
   * Retention of recordings: a byte quota for all cameras together (null: none) and the share of the
   * recordings volume kept free (percent, 0: none).
   */
  recordings: { quotaBytes: number | null; reservePercent: number }
  /** Live video (STATION_VIDEO_*): frame limit, offline delay, reconnect backoff, viewers; ffmpeg (STATION_FFMPEG). */
  video: VideoConfig
  logLevel: string
  /** Folder of the built renderer to serve in browser mode (optional). */
  rendererDir: string | undefined
  /** Extra names and addresses (beyond the machine's own) the station answers state changes for (STATION_ALLOWED_HOSTS). */
  allowedHosts: string[]
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

/** A list of CIDRs or addresses (comma or space separated), each checked and given its prefix length. */
function cidrs(raw: string | undefined, name: string): string[] {
  if (raw === undefined || raw.trim() === '') return []
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const [address = '', prefix, ...rest] = entry.split('/')
      const family = isIP(address)
      const bits = family === 4 ? 32 : 128
      const length = prefix === undefined ? bits : Number(prefix)
      if (family === 0 || rest.length > 0 || !/^\d+$/.test(prefix ?? '0') || length > bits) {
        throw new Error(
          `${name} must list IP addresses or CIDRs (e.g. 192.168.1.20,10.0.0.0/24), got "${entry}"`,
        )
      }
      return `${address}/${length}`
    })
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StationConfig {
  const read = settingReader(env)
  return {
    port: read(S.port),
    host: read(S.host),
    dataDir: read(S.dataDir) ?? defaultDataDir(env),
    useDb: read(S.useDb),
    adminPassword: read(S.adminPassword),
    deviceKey: read(S.deviceKey),
    rateLimitMax: read(S.rateLimitMax),
    nodeEnv: read(S.nodeEnv),
    readPoolSize: read(S.readPoolSize),
    readTimeoutMs: read(S.readTimeoutMs),
    dbSynchronous: read(S.dbSynchronous),
    cache: { maxEntries: read(S.cacheMaxEntries), defaultTtlMs: read(S.cacheTtlMs) },
    queues: {
      devices: { maxWaitMs: read(S.devicesFlushMs), batchSize: 500, maxPending: 20_000 },
      readings: {
        maxWaitMs: read(S.readingsFlushMs),
        batchSize: 5_000,
        maxPending: read(S.readingsQueueMax),
      },
      buzzers: { maxWaitMs: read(S.buzzersFlushMs), batchSize: 500, maxPending: 10_000 },
    },
    sessionTtlMs: read(S.sessionTtlMs),
    deviceOfflineAfterMs: read(S.deviceOfflineAfterMs),
    buzzerTimeoutMs: read(S.buzzerTimeoutMs),
    readingTimeWindow: { maxAgeMs: read(S.readingMaxAgeMs), maxAheadMs: read(S.readingMaxAheadMs) },
    ws: {
      maxConnections: read(S.wsMaxConnections),
      maxPayload: read(S.wsMaxPayload),
      pingIntervalMs: read(S.wsPingIntervalMs),
      perMessageDeflate: read(S.wsPerMessageDeflate),
    },
    bodyLimit: read(S.bodyLimit),
    overloadDelayMs: read(S.overloadDelayMs),
    recording: { segmentS: read(S.recordingSegmentS) },
    recordings: {
      quotaBytes: read(S.recordingsQuotaBytes) || null,
      reservePercent: read(S.recordingsReservePercent),
    },
    video: loadVideoConfig(env),
    logLevel: read(S.logLevel),
    rendererDir: read(S.rendererDir),
    metricsAllow: cidrs(read(S.metricsAllow), S.metricsAllow.env),
    allowedHosts: (read(S.allowedHosts) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
  }
}
