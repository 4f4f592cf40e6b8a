/**
 * Every setting of the station, once: its environment variable, schema (type, limits, title,
 * description), default and unit. `config.ts` parses the environment with it, the settings API and
 * form check the settings admins may edit with the same schemas, and the README's configuration table
 * is checked against it. To add a setting: an entry here (or in `video.ts`), a line in `config.ts`,
 * and its README row (the catalog test says which).
 */
import { DEFAULT_PORT } from '../constants'
import { choice, flag, int, text, type Setting } from './define'
import { VIDEO_SETTINGS } from './video'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const KiB = 1024
const MiB = 1024 * 1024
const PiB = 1024 ** 5

export const SETTINGS = {
  port: int({
    env: 'STATION_PORT',
    title: 'Port',
    description: 'HTTP/WebSocket port browsers, devices and cameras reach the station on (0: any free port)',
    default: DEFAULT_PORT,
    minimum: 0,
    maximum: 65535,
  }),
  host: text({
    env: 'STATION_HOST',
    title: 'Bind address',
    description: '`0.0.0.0` serves every network of this computer, `127.0.0.1` this computer only',
    default: '0.0.0.0',
    maxLength: 253,
  }),
  dataDir: text({
    env: 'STATION_DATA_DIR',
    title: 'Data folder',
    description: 'where `station.db` lives; a folder chosen in the settings gets a copy on the next start',
    defaultNote:
      'a per-user folder: `guard-station` for `npm run headless`, `Guard Station` for the desktop app (see "Data folder")',
    maxLength: 4096,
  }),
  adminPassword: text({
    env: 'STATION_ADMIN_PASSWORD',
    title: 'Admin password',
    description:
      'first-run password of user `admin`; if unset a strong one is generated and printed once. There is no default password',
    defaultNote: 'generated',
    secret: true,
    minLength: 10,
    maxLength: 256,
  }),
  deviceKey: text({
    env: 'STATION_DEVICE_KEY',
    title: 'Device key',
    description:
      'the site key devices send in `x-device-key`; if unset one is generated, stored, and shown to admins (`GET /api/settings/device-key`)',
    defaultNote: 'generated',
    secret: true,
    minLength: 16,
    maxLength: 256,
    pattern: '^[A-Za-z0-9._~-]+$',
    patternText: 'letters, digits and . _ ~ -',
  }),
  rateLimitMax: int({
    env: 'RATE_LIMIT_MAX',
    title: 'Rate limit',
    description: 'requests per minute per client; signed-in users and authenticated devices are exempt',
    unit: 'requests per minute',
    default: 1000,
    minimum: 1,
    maximum: 1_000_000,
  }),
  useDb: flag({
    env: 'USEDB',
    title: 'Use the database',
    description: '`false` runs on an in-memory database: nothing survives a restart',
    default: true,
  }),
  nodeEnv: text({
    env: 'NODE_ENV',
    title: 'Node environment',
    description: '`production`, `development` or `test`',
    default: 'production',
    maxLength: 64,
  }),
  logLevel: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    env: 'LOG_LEVEL',
    title: 'Log level',
    description:
      'pino level. Requests are logged at `debug`; refused ones (4xx) at `info`, failed ones (5xx) at `warn`',
    default: 'info',
  }),
  readPoolSize: int({
    env: 'STATION_READ_POOL_SIZE',
    title: 'Read pool size',
    description: 'worker threads serving heavy reads (history, statistics)',
    unit: 'worker threads',
    default: 2,
    minimum: 1,
    maximum: 16,
  }),
  readTimeoutMs: int({
    env: 'STATION_READ_TIMEOUT_MS',
    title: 'Read timeout',
    description:
      'longest a history or statistics read may wait for a read worker, and then run; past it the read answers 503/504 and its worker is replaced',
    unit: 'ms',
    default: 15_000,
    minimum: 100,
    maximum: 3_600_000,
  }),
  dbSynchronous: choice(['FULL', 'NORMAL'], {
    env: 'STATION_DB_SYNCHRONOUS',
    title: 'Database sync',
    description: '`FULL`: acknowledged writes survive power loss; `NORMAL`: they survive a crashed process',
    default: 'FULL',
  }),
  cacheMaxEntries: int({
    env: 'STATION_CACHE_MAX',
    title: 'Response cache size',
    description: 'how many API answers the response cache keeps',
    unit: 'entries',
    default: 100,
    minimum: 1,
    maximum: 100_000,
  }),
  cacheTtlMs: int({
    env: 'STATION_CACHE_TTL_MS',
    title: 'Response cache TTL',
    description: 'how long a cached answer is served before it is asked again (writes invalidate it at once)',
    unit: 'ms',
    default: 30_000,
    minimum: 1000,
    maximum: DAY,
  }),
  devicesFlushMs: int({
    env: 'STATION_DEVICE_FLUSH_MS',
    title: 'Device updates: longest wait before commit',
    description: 'longest a device update waits to be committed (sooner whenever the writer is free)',
    unit: 'ms',
    default: 100,
    minimum: 1,
    maximum: 10_000,
  }),
  readingsFlushMs: int({
    env: 'STATION_READING_FLUSH_MS',
    title: 'Sensor readings: longest wait before commit',
    description: 'longest a sensor reading waits to be committed (sooner whenever the writer is free)',
    unit: 'ms',
    default: 200,
    minimum: 1,
    maximum: 10_000,
  }),
  buzzersFlushMs: int({
    env: 'STATION_BUZZER_FLUSH_MS',
    title: 'Buzzer requests: longest wait before commit',
    description: 'longest a buzzer request waits to be committed (sooner whenever the writer is free)',
    unit: 'ms',
    default: 150,
    minimum: 1,
    maximum: 10_000,
  }),
  readingsQueueMax: int({
    env: 'STATION_READING_QUEUE_MAX',
    title: 'Readings queue bound',
    description: 'readings waiting for commit before the station answers 503',
    unit: 'readings',
    default: 100_000,
    minimum: 1,
    maximum: 10_000_000,
  }),
  sessionIdleMs: int({
    env: 'STATION_SESSION_IDLE_MS',
    title: 'Sign-in ends after no activity for',
    description:
      'a sign-in ends after this long without the guard doing anything (a change, an acknowledgement, "Stay signed in"); each such action renews it',
    unit: 'ms',
    default: HOUR,
    minimum: 1000,
    maximum: 30 * DAY,
  }),
  sessionMaxMs: int({
    env: 'STATION_SESSION_MAX_MS',
    title: 'Longest sign-in',
    description:
      'a sign-in ends this long after signing in, however active the guard is (renewals never pass it)',
    unit: 'ms',
    default: 16 * HOUR,
    minimum: 1000,
    maximum: 30 * DAY,
  }),
  sessionWarnMs: int({
    env: 'STATION_SESSION_WARN_MS',
    title: 'Warning before a sign-in ends',
    description: 'the screen warns the guard this long before their sign-in ends',
    unit: 'ms',
    default: 5 * MINUTE,
    minimum: 1000,
    maximum: DAY,
  }),
  deviceOfflineAfterMs: int({
    env: 'STATION_DEVICE_OFFLINE_MS',
    title: 'Device offline after',
    description: 'a device not heard from for this long is offline',
    unit: 'ms',
    default: MINUTE,
    minimum: 100,
    maximum: DAY,
  }),
  readingMaxAgeMs: int({
    env: 'STATION_READING_MAX_AGE_MS',
    title: 'Oldest reading time accepted',
    description:
      'a reading whose device time `ts` is further in the past than this is refused (`400 VALIDATION`, naming the reading); leave `ts` out to use the receive time',
    unit: 'ms',
    default: 7 * DAY,
    minimum: MINUTE,
    maximum: 36_500 * DAY,
  }),
  readingMaxAheadMs: int({
    env: 'STATION_READING_MAX_AHEAD_MS',
    title: 'Furthest-ahead reading time accepted',
    description:
      "a reading whose device time `ts` is further ahead of the station's clock than this is refused (`400 VALIDATION`, naming the reading)",
    unit: 'ms',
    default: 5 * MINUTE,
    minimum: 1000,
    maximum: 3650 * DAY,
  }),
  buzzerTimeoutMs: int({
    env: 'STATION_BUZZER_TIMEOUT_MS',
    title: 'Buzzer command timeout',
    description: 'an unconfirmed buzzer command expires after this',
    unit: 'ms',
    default: 30_000,
    minimum: 100,
    maximum: HOUR,
  }),
  wsMaxConnections: int({
    env: 'STATION_WS_MAX',
    title: 'Device sockets',
    description:
      'open device WebSockets across the station (desks and video viewers have budgets of their own, per user and per address)',
    unit: 'connections',
    default: 1000,
    minimum: 1,
    maximum: 1_000_000,
  }),
  wsMaxPayload: int({
    env: 'STATION_WS_MAX_PAYLOAD',
    title: 'WebSocket message size',
    description: 'largest WebSocket message accepted',
    unit: 'bytes',
    default: 256 * KiB,
    minimum: KiB,
    maximum: 64 * MiB,
  }),
  wsPingIntervalMs: int({
    env: 'STATION_WS_PING_MS',
    title: 'WebSocket ping interval',
    description: 'how often WebSockets are pinged (a peer that does not answer is dropped)',
    unit: 'ms',
    default: 30_000,
    minimum: 100,
    maximum: HOUR,
  }),
  wsPerMessageDeflate: flag({
    env: 'STATION_WS_DEFLATE',
    title: 'WebSocket compression',
    description: 'per-message deflate on WebSockets (less traffic, more CPU)',
    default: false,
  }),
  overloadDelayMs: int({
    env: 'STATION_OVERLOAD_DELAY_MS',
    title: 'Overload delay',
    description:
      'mean event-loop delay (over 1 s) past which new device WebSockets and HTTP readings get `503 OVERLOADED` (connected devices and guards keep being served)',
    unit: 'ms',
    default: 200,
    minimum: 10,
    maximum: 10_000,
  }),
  bodyLimit: int({
    env: 'STATION_BODY_LIMIT',
    title: 'Body limit',
    description: 'largest JSON body',
    unit: 'bytes',
    default: MiB,
    minimum: KiB,
    maximum: 64 * MiB,
  }),
  rendererDir: text({
    env: 'STATION_RENDERER_DIR',
    title: 'Renderer folder',
    description: 'folder of the built UI served in browser mode',
    defaultNote: 'the built UI (`out/renderer`)',
    maxLength: 4096,
  }),
  metricsAllow: text({
    env: 'STATION_METRICS_ALLOW',
    title: 'Scraper addresses',
    description: 'IP addresses or CIDRs (comma separated) that may scrape `/metrics` without a metrics token',
    defaultNote: 'none',
    maxLength: 4096,
  }),
  allowedHosts: text({
    env: 'STATION_ALLOWED_HOSTS',
    title: 'Extra host names',
    description:
      "names (comma separated) the station answers state changes and WebSocket upgrades for, beyond the machine's own names and addresses (DNS rebinding protection)",
    defaultNote: 'none',
    maxLength: 4096,
  }),
  recordingSegmentS: int({
    env: 'STATION_RECORDING_SEGMENT_S',
    title: 'Recording segment length',
    description:
      'a recording starts a new file at the first key frame after this many seconds (files are 1 key-frame interval longer at most)',
    unit: 's',
    default: 10,
    minimum: 2,
    maximum: 600,
  }),
  // Never an admin-editable setting: a program path that the web could change would run anything.
  ffmpeg: text({
    env: 'STATION_FFMPEG',
    title: 'ffmpeg program',
    description: 'path to the ffmpeg executable RTSP cameras run; when set, only it is tried',
    defaultNote: "the desktop app's bundled copy, then `ffmpeg` on the `PATH`",
    maxLength: 4096,
  }),
  recordingsQuotaBytes: int({
    env: 'STATION_RECORDINGS_QUOTA_BYTES',
    title: 'Recordings quota',
    description:
      "most bytes all cameras' recordings may use together (0: no quota); retention deletes the oldest unprotected footage past it, never below a camera's minimum days",
    unit: 'bytes',
    default: 0,
    minimum: 0,
    maximum: PiB,
  }),
  recordingsReservePercent: int({
    env: 'STATION_RECORDINGS_RESERVE_PERCENT',
    title: 'Free-space reserve',
    description:
      'share of the recordings volume kept free; below it retention deletes the oldest unprotected footage, minimum days included (0: none)',
    unit: 'percent',
    default: 5,
    minimum: 0,
    maximum: 50,
  }),
  timeZone: text({
    env: 'STATION_TIME_ZONE',
    title: 'Site time zone',
    description:
      "the site's time zone: alarm schedules without their own `timeZone`, reports and the UI use it (`GET /api/health` says it)",
    defaultNote: "the computer's time zone",
    maxLength: 64,
    patternText: 'an IANA zone name such as Europe/Berlin',
  }),
} satisfies Record<string, Setting>

export type SettingKey = keyof typeof SETTINGS

/** Every setting, the station's then live video's, in the order the README lists them. */
export const CATALOG: readonly Setting[] = [...Object.values(SETTINGS), ...Object.values(VIDEO_SETTINGS)]
