/** Command-line options of `npm run simulate`. */
import type { RtspCameraOptions } from '../video/sim/cli-rtsp-cameras'
import { parseArgs } from 'node:util'
import type { RtspAuthScheme } from '../video/sim/rtsp-auth'
import type { TestVideoPattern } from '../video/sim/test-video'
import { DEFAULT_OPTIONS, type SimulatorOptions } from './simulator'

/** Camera frame rate when --cameras is given without --fps. */
export const DEFAULT_CAMERA_FPS = 10

/** The simulated RTSP cameras' defaults (`--rtsp-*`). */
export const RTSP_DEFAULTS = {
  port: 8554,
  auth: 'none' as RtspAuthScheme,
  username: 'viewer',
  password: 'simulator',
  width: 1280,
  height: 720,
  fps: 25,
  pattern: 'testsrc' as TestVideoPattern,
}
const RTSP_PATTERNS: readonly TestVideoPattern[] = ['testsrc', 'moving-square', 'static', 'noise']

export const USAGE = `Guard Station simulator: simulated sensors, buzzers and cameras for trying a station without hardware.

Usage: npm run simulate -- [options]

  --url <url>          station address (default ${DEFAULT_OPTIONS.url})
  --key <key>          site device key (default: $STATION_DEVICE_KEY); shown to admins in the station
  --mode http|ws       HTTP requests, or one WebSocket per device (default ${DEFAULT_OPTIONS.mode})
  --devices <n>        simulated devices (default ${DEFAULT_OPTIONS.devices}; 0 with --cameras or --rtsp-cameras: cameras only)
  --rate <n>           readings per second per device (default ${DEFAULT_OPTIONS.rate})
  --sensors <n>        sensors per device, 1-6: temperature, humidity, co2, pressure, light, battery (default ${DEFAULT_OPTIONS.sensors})
  --batch <n>          readings per request or frame, 1-1000 (default ${DEFAULT_OPTIONS.batch}: one reading each)
  --sensor-only <n>    the last n devices have no buzzer (their heartbeats say so; default 0)
  --heartbeat <s>      heartbeat every s seconds; over HTTP it also polls for buzzer commands (default ${DEFAULT_OPTIONS.heartbeatMs / 1000})
  --concurrency <n>    HTTP requests in flight at most / WebSocket handshakes at once (default ${DEFAULT_OPTIONS.concurrency})
  --prefix <text>      device id prefix (default "${DEFAULT_OPTIONS.prefix}": ids ${DEFAULT_OPTIONS.prefix}0001, ${DEFAULT_OPTIONS.prefix}0002, ...)
  --first <n>          number of the first device (default ${DEFAULT_OPTIONS.firstDevice})
  --duration <s>       stop after s seconds (default: run until Ctrl-C)
  --interval <s>       seconds between progress lines (default 5)
  --deflate            offer WebSocket per-message deflate
  --cameras <n>        also simulate n cameras (default 0): push cameras sending 640x480 JPEGs (over
                       HTTP, or WebSocket with --mode ws), and MJPEG and snapshot cameras served on
                       127.0.0.1 for the station to pull; registered (or reused by name) through the admin API
  --scenario intrusion set up (by name, reusing an earlier run's) an area, a door contact, temperature
                       sensor, buzzer, push camera and three rules, arm the area, then open the door, move
                       the camera's picture and raise the temperature fast, printing the alarms to expect
                       and those raised (needs --key and the admin password; ignores the other options)
  --fps <n>            frames per second per camera, 1-60 (default ${DEFAULT_CAMERA_FPS})
  --admin-password <p> admin password, to register the cameras (default: $STATION_ADMIN_PASSWORD)
  --rtsp-cameras <n>   also simulate n RTSP/H.264 cameras (default 0): an RTSP server on 127.0.0.1 serving
                       rtsp://127.0.0.1:<port>/camN/main and /camN/sub (640 wide), looping test videos
                       made once with ffmpeg (libx264) and cached; registered (or reused by name) through
                       the admin API as kind rtsp. RTP goes over the RTSP connection (TCP; UDP is refused)
  --rtsp-port <port>   RTSP port (default ${RTSP_DEFAULTS.port}; 0: any free port)
  --rtsp-auth <a>      none, basic or digest (default ${RTSP_DEFAULTS.auth}); the station is given the credentials
  --rtsp-user <name>   RTSP user name (default ${RTSP_DEFAULTS.username})
  --rtsp-password <p>  RTSP password (default ${RTSP_DEFAULTS.password})
  --rtsp-size <WxH>    main stream size (default ${RTSP_DEFAULTS.width}x${RTSP_DEFAULTS.height}; 1920x1080 gives about 4 Mbit/s)
  --rtsp-fps <n>       RTSP frames per second, 1-60 (default ${RTSP_DEFAULTS.fps})
  --rtsp-pattern <p>   testsrc, moving-square (motion), static (no motion) or noise (default ${RTSP_DEFAULTS.pattern})
  --help               show this help

Every reading counts as acknowledged only once the station confirmed it was stored. Ctrl-C stops the
simulator gracefully (waits for answers to what is in flight) and prints a summary.

Examples:
  npm run simulate -- --devices 200 --rate 5 --key "$STATION_DEVICE_KEY"
  npm run simulate -- --mode ws --devices 50 --url http://192.168.1.20:8787 --key <site key>
  npm run simulate -- --cameras 8 --fps 25 --devices 0 --key <site key> --admin-password <password>
  npm run simulate -- --rtsp-cameras 4 --rtsp-auth digest --devices 0 --admin-password <password>
`

export interface CameraOptions {
  /** Simulated cameras (0: none). */
  count: number
  fps: number
  /** To sign in as admin and register the cameras. */
  adminPassword: string | undefined
}

export type { RtspCameraOptions }

export interface CliOptions {
  help: boolean
  /** Devices: `sim.devices` is 0 when only cameras run. */
  sim: Omit<SimulatorOptions, 'onBuzzer'>
  cameras: CameraOptions
  rtsp: RtspCameraOptions
  durationMs: number | undefined
  intervalMs: number
  /** `--scenario intrusion`: set up and drive the intrusion scenario, then exit. */
  scenario: 'intrusion' | undefined
}

function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${name} must be a number between ${min} and ${max}, got "${raw}"`)
  }
  return n
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      mode: { type: 'string' },
      devices: { type: 'string' },
      rate: { type: 'string' },
      sensors: { type: 'string' },
      batch: { type: 'string' },
      heartbeat: { type: 'string' },
      'sensor-only': { type: 'string' },
      concurrency: { type: 'string' },
      prefix: { type: 'string' },
      first: { type: 'string' },
      duration: { type: 'string' },
      interval: { type: 'string' },
      deflate: { type: 'boolean' },
      cameras: { type: 'string' },
      fps: { type: 'string' },
      'admin-password': { type: 'string' },
      'rtsp-cameras': { type: 'string' },
      'rtsp-port': { type: 'string' },
      'rtsp-auth': { type: 'string' },
      'rtsp-user': { type: 'string' },
      'rtsp-password': { type: 'string' },
      'rtsp-size': { type: 'string' },
      'rtsp-fps': { type: 'string' },
      'rtsp-pattern': { type: 'string' },
      scenario: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.scenario !== undefined && values.scenario !== 'intrusion') {
    throw new Error(`--scenario must be intrusion, got "${values.scenario}"`)
  }
  const scenario = values.scenario
  const mode = values.mode ?? DEFAULT_OPTIONS.mode
  if (mode !== 'http' && mode !== 'ws') throw new Error(`--mode must be http or ws, got "${mode}"`)
  const url = values.url ?? env.STATION_URL ?? DEFAULT_OPTIONS.url
  try {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error()
  } catch {
    throw new Error(`--url must be an http:// or https:// address, got "${url}"`)
  }
  const d = DEFAULT_OPTIONS
  const duration = values.duration === undefined ? undefined : num('duration', values.duration, 0, 0.1, 1e7)
  const cameras = Math.round(num('cameras', values.cameras, 0, 0, 256))
  const devices = Math.round(num('devices', values.devices, d.devices, 0, 100_000))
  const rtspCameras = Math.round(num('rtsp-cameras', values['rtsp-cameras'], 0, 0, 64))
  if (!values.help && !scenario && devices === 0 && cameras === 0 && rtspCameras === 0)
    throw new Error('Nothing to simulate: --devices 0 needs --cameras <n> or --rtsp-cameras <n>')
  if (!values.help && values.fps !== undefined && cameras === 0) throw new Error('--fps needs --cameras <n>')
  const rtsp = parseRtsp(values, rtspCameras, values.help ?? false)
  return {
    help: values.help ?? false,
    scenario,
    cameras: {
      count: cameras,
      fps: num('fps', values.fps, DEFAULT_CAMERA_FPS, 1, 60),
      adminPassword: values['admin-password'] ?? (env.STATION_ADMIN_PASSWORD || undefined),
    },
    rtsp,
    durationMs: duration === undefined ? undefined : duration * 1000,
    intervalMs: num('interval', values.interval, 5, 0.5, 3600) * 1000,
    sim: {
      ...d,
      url,
      key: values.key ?? (env.STATION_DEVICE_KEY || undefined),
      mode,
      devices,
      rate: num('rate', values.rate, d.rate, 0, 10_000),
      sensors: Math.round(num('sensors', values.sensors, d.sensors, 1, 6)),
      batch: Math.round(num('batch', values.batch, d.batch, 1, 1000)),
      heartbeatMs: num('heartbeat', values.heartbeat, d.heartbeatMs / 1000, 0.1, 3600) * 1000,
      concurrency: Math.round(num('concurrency', values.concurrency, d.concurrency, 1, 10_000)),
      prefix: values.prefix ?? d.prefix,
      firstDevice: Math.round(num('first', values.first, d.firstDevice, 0, 1e9)),
      perMessageDeflate: values.deflate ?? false,
      sensorOnly: Math.round(num('sensor-only', values['sensor-only'], 0, 0, 100_000)),
    },
  }
}

type RtspValues = Partial<
  Record<`rtsp-${'port' | 'auth' | 'user' | 'password' | 'size' | 'fps' | 'pattern'}`, string>
>

function parseRtsp(values: RtspValues, count: number, help: boolean): RtspCameraOptions {
  const d = RTSP_DEFAULTS
  if (!help && count === 0) {
    const given = Object.entries(values).find(
      ([k, v]) => k.startsWith('rtsp-') && k !== 'rtsp-cameras' && v !== undefined,
    )
    if (given) throw new Error(`--${given[0]} needs --rtsp-cameras <n>`)
  }
  const auth = values['rtsp-auth'] ?? d.auth
  if (auth !== 'none' && auth !== 'basic' && auth !== 'digest') {
    throw new Error(`--rtsp-auth must be none, basic or digest, got "${auth}"`)
  }
  const pattern = (values['rtsp-pattern'] ?? d.pattern) as TestVideoPattern
  if (!RTSP_PATTERNS.includes(pattern)) {
    throw new Error(`--rtsp-pattern must be one of ${RTSP_PATTERNS.join(', ')}, got "${pattern}"`)
  }
  let [width, height] = [d.width, d.height]
  if (values['rtsp-size'] !== undefined) {
    const m = /^(\d{2,4})x(\d{2,4})$/.exec(values['rtsp-size'])
    const even = (n: number) => n >= 16 && n <= 4096 && n % 2 === 0
    if (!m || !even(Number(m[1])) || !even(Number(m[2]))) {
      throw new Error(
        `--rtsp-size must be WIDTHxHEIGHT with even numbers, 16-4096 (e.g. 1920x1080), got "${values['rtsp-size']}"`,
      )
    }
    ;[width, height] = [Number(m[1]), Number(m[2])]
  }
  const user = values['rtsp-user'] ?? d.username
  const password = values['rtsp-password'] ?? d.password
  if (!user || user.includes(':')) throw new Error('--rtsp-user must not be empty or contain ":"')
  return {
    count,
    port: Math.round(num('rtsp-port', values['rtsp-port'], d.port, 0, 65535)),
    auth,
    username: user,
    password,
    width,
    height,
    fps: Math.round(num('rtsp-fps', values['rtsp-fps'], d.fps, 1, 60)),
    pattern,
  }
}
