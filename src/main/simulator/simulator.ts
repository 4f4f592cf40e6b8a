/**
 * The device simulator's programmatic API: `startSimulator(opts)` starts N simulated devices against a
 * station and returns `{ stop(), stats() }`. The CLI, the tests and the benchmark all use it.
 */
import { DEVICE_KEY_HEADER } from '../../shared/constants'
import type { DeviceSettings } from './device'
import { HttpDevice } from './http-device'
import { JsonClient } from './http-client'
import { Limiter } from './limiter'
import { SimulatorCounters, snapshot, type SimulatorStats } from './stats'
import { WsDevice } from './ws-device'

export interface SimulatorOptions {
  /** Station base URL, e.g. http://127.0.0.1:8787 */
  url: string
  /** The site key (sent in x-device-key). */
  key: string | undefined
  mode: 'http' | 'ws'
  devices: number
  /** Readings per second per device (round-robin over its sensors). */
  rate: number
  /** Readings per request (HTTP) or per `readings` frame (WebSocket); 1 sends single readings. */
  batch: number
  sensors: number
  /** Heartbeat interval; in HTTP mode the heartbeat also fetches pending buzzer commands. */
  heartbeatMs: number
  /** HTTP: requests in flight at most (keep-alive sockets). WebSocket: handshakes in progress at most. */
  concurrency: number
  /** Device ids are `${prefix}${number}`, numbered from `firstDevice`. */
  prefix: string
  firstDevice: number
  bufferMax: number
  requestTimeoutMs: number
  /** WebSocket mode: offer per-message deflate. */
  perMessageDeflate: boolean
  /** The last this-many devices have no buzzer (sensor-only: their heartbeats report no capabilities). */
  sensorOnly: number
  /** Called when a simulated buzzer switches on or off. */
  onBuzzer?: (deviceId: string, on: boolean) => void
}

export const DEFAULT_OPTIONS: Omit<SimulatorOptions, 'key' | 'onBuzzer'> = {
  url: 'http://127.0.0.1:8787',
  mode: 'http',
  devices: 10,
  rate: 1,
  batch: 1,
  sensors: 2,
  heartbeatMs: 5000,
  concurrency: 64,
  prefix: 'sim-',
  firstDevice: 1,
  bufferMax: 1000,
  requestTimeoutMs: 10_000,
  perMessageDeflate: false,
  sensorOnly: 0,
}

export interface Simulator {
  readonly deviceIds: readonly string[]
  stats(): SimulatorStats
  /** Clears the latency histograms (to measure a window). */
  resetLatency(): void
  /** Resolves once every WebSocket device has connected once (HTTP mode: at once), or after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>
  /** Stops producing, waits (bounded) for what is in flight to be answered, closes connections. */
  stop(): Promise<SimulatorStats>
}

/**
 * Devices are ticked in SHARDS groups, one group every TICK_MS: each device every TICK_MS x SHARDS, and
 * a thousand devices do not all send within the same tick (real devices are not synchronized).
 */
const TICK_MS = 10
const SHARDS = 5

export function startSimulator(options: Partial<SimulatorOptions> & { key: string | undefined }): Simulator {
  const opts: SimulatorOptions = { ...DEFAULT_OPTIONS, ...options }
  if (opts.devices < 1) throw new Error('devices must be at least 1')
  if (!(opts.rate >= 0)) throw new Error('rate must be 0 or more')
  const counters = new SimulatorCounters()
  const settings: DeviceSettings = {
    rate: opts.rate,
    sensors: opts.sensors,
    batch: Math.max(1, Math.min(1000, opts.batch)),
    heartbeatMs: opts.heartbeatMs,
    bufferMax: Math.max(opts.bufferMax, opts.batch),
    requestTimeoutMs: opts.requestTimeoutMs,
    buzzer: true,
  }
  const sensorOnlyFrom = opts.devices - Math.max(0, Math.min(opts.devices, opts.sensorOnly))
  const settingsOf = (i: number): DeviceSettings =>
    i < sensorOnlyFrom ? settings : { ...settings, buzzer: false }
  const ids = Array.from(
    { length: opts.devices },
    (_, i) => `${opts.prefix}${String(opts.firstDevice + i).padStart(4, '0')}`,
  )
  const limiter = new Limiter(Math.max(1, opts.concurrency))
  const started = performance.now()

  let client: JsonClient | undefined
  let httpDevices: HttpDevice[] = []
  let wsDevices: WsDevice[] = []
  let connecting: Promise<void> = Promise.resolve()
  if (opts.mode === 'http') {
    client = new JsonClient(opts.url, opts.key ? { [DEVICE_KEY_HEADER]: opts.key } : {}, {
      maxSockets: Math.max(1, opts.concurrency),
      timeoutMs: opts.requestTimeoutMs,
    })
    const c = client
    httpDevices = ids.map((id, i) => new HttpDevice(id, settingsOf(i), counters, c, limiter, opts.onBuzzer))
  } else {
    const wsOpts = { baseUrl: opts.url, key: opts.key, perMessageDeflate: opts.perMessageDeflate }
    wsDevices = ids.map((id, i) => new WsDevice(id, settingsOf(i), counters, wsOpts, limiter, opts.onBuzzer))
    connecting = Promise.all(wsDevices.map((d) => d.connect())).then(() => undefined)
  }
  const devices = [...httpDevices, ...wsDevices]

  const lastTick = new Array<number>(SHARDS).fill(performance.now())
  let shard = 0
  const timer = setInterval(() => {
    const now = performance.now()
    const dt = now - lastTick[shard]!
    lastTick[shard] = now
    const wall = Date.now()
    for (let i = shard; i < devices.length; i += SHARDS) devices[i]!.tick(dt, wall)
    shard = (shard + 1) % SHARDS
  }, TICK_MS)

  const connected = () =>
    opts.mode === 'http'
      ? httpDevices.reduce((n, d) => n + (d.reachable ? 1 : 0), 0)
      : wsDevices.reduce((n, d) => n + (d.connected ? 1 : 0), 0)

  const stats = () =>
    snapshot(counters, {
      mode: opts.mode,
      devices: opts.devices,
      connected: connected(),
      elapsedMs: performance.now() - started,
      pending: devices.reduce((n, d) => n + d.pending, 0),
    })

  let stopping: Promise<SimulatorStats> | undefined
  return {
    deviceIds: ids,
    stats,
    resetLatency() {
      counters.readingLatency.reset()
      counters.heartbeatLatency.reset()
    },
    async ready(timeoutMs = 60_000) {
      let t: NodeJS.Timeout | undefined
      await Promise.race([connecting, new Promise<void>((r) => (t = setTimeout(r, timeoutMs)))])
      clearTimeout(t)
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(timer)
        await Promise.all(devices.map((d) => d.stop(opts.requestTimeoutMs)))
        client?.close()
        return stats()
      })()
      return stopping
    },
  }
}
