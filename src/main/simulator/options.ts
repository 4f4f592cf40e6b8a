/** Command-line options of `npm run simulate`. */
import { parseArgs } from 'node:util'
import { DEFAULT_OPTIONS, type SimulatorOptions } from './simulator'

/** Camera frame rate when --cameras is given without --fps. */
export const DEFAULT_CAMERA_FPS = 10

export const USAGE = `Guard Station simulator: simulated sensors, buzzers and cameras for trying a station without hardware.

Usage: npm run simulate -- [options]

  --url <url>          station address (default ${DEFAULT_OPTIONS.url})
  --key <key>          site device key (default: $STATION_DEVICE_KEY); shown to admins in the station
  --mode http|ws       HTTP requests, or one WebSocket per device (default ${DEFAULT_OPTIONS.mode})
  --devices <n>        simulated devices (default ${DEFAULT_OPTIONS.devices}; 0 with --cameras: cameras only)
  --rate <n>           readings per second per device (default ${DEFAULT_OPTIONS.rate})
  --sensors <n>        sensors per device, 1-6: temperature, humidity, co2, pressure, light, battery (default ${DEFAULT_OPTIONS.sensors})
  --batch <n>          readings per request or frame, 1-1000 (default ${DEFAULT_OPTIONS.batch}: one reading each)
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
  --fps <n>            frames per second per camera, 1-60 (default ${DEFAULT_CAMERA_FPS})
  --admin-password <p> admin password, to register the cameras (default: $STATION_ADMIN_PASSWORD)
  --help               show this help

Every reading counts as acknowledged only once the station confirmed it was stored. Ctrl-C stops the
simulator gracefully (waits for answers to what is in flight) and prints a summary.

Examples:
  npm run simulate -- --devices 200 --rate 5 --key "$STATION_DEVICE_KEY"
  npm run simulate -- --mode ws --devices 50 --url http://192.168.1.20:8787 --key <site key>
  npm run simulate -- --cameras 8 --fps 25 --devices 0 --key <site key> --admin-password <password>
`

export interface CameraOptions {
  /** Simulated cameras (0: none). */
  count: number
  fps: number
  /** To sign in as admin and register the cameras. */
  adminPassword: string | undefined
}

export interface CliOptions {
  help: boolean
  /** Devices: `sim.devices` is 0 when only cameras run. */
  sim: Omit<SimulatorOptions, 'onBuzzer'>
  cameras: CameraOptions
  durationMs: number | undefined
  intervalMs: number
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
      concurrency: { type: 'string' },
      prefix: { type: 'string' },
      first: { type: 'string' },
      duration: { type: 'string' },
      interval: { type: 'string' },
      deflate: { type: 'boolean' },
      cameras: { type: 'string' },
      fps: { type: 'string' },
      'admin-password': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
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
  if (!values.help && devices === 0 && cameras === 0)
    throw new Error('Nothing to simulate: --devices 0 needs --cameras <n>')
  if (!values.help && values.fps !== undefined && cameras === 0) throw new Error('--fps needs --cameras <n>')
  return {
    help: values.help ?? false,
    cameras: {
      count: cameras,
      fps: num('fps', values.fps, DEFAULT_CAMERA_FPS, 1, 60),
      adminPassword: values['admin-password'] ?? (env.STATION_ADMIN_PASSWORD || undefined),
    },
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
    },
  }
}
