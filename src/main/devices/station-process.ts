/**
 * For process-level tests (durability, graceful shutdown, overload): runs the headless station as a child
 * process on a temp data folder and a free loopback port, and drives it with HTTP ingestion.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const PROCESS_ADMIN_PASSWORD = 'process-admin-password'
export const PROCESS_DEVICE_KEY = 'process-device-key-0123456789'
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export interface StationProcess {
  child: ChildProcess
  port: number
  url: string
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resident set size of the station process in bytes (Linux /proc), or undefined where unavailable. */
  rss(): number | undefined
}

/** A port that was free a moment ago (listen on 0, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** The environment of a station process on a data folder and port (the test's `env` over it). */
function processEnv(dataDir: string, port: number, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STATION_DATA_DIR: dataDir,
    STATION_PORT: String(port),
    STATION_HOST: '127.0.0.1',
    STATION_ADMIN_PASSWORD: PROCESS_ADMIN_PASSWORD,
    STATION_DEVICE_KEY: PROCESS_DEVICE_KEY,
    LOG_LEVEL: 'warn',
    // Tests write readings at fixed times (1970 included): the device-time window is open wide for them
    // (devices/reading-time.test.ts sets its own).
    STATION_READING_MAX_AGE_MS: String(36_500 * 86_400_000),
    STATION_READING_MAX_AHEAD_MS: String(3650 * 86_400_000),
    NODE_ENV: 'test',
    ...env,
  }
}

export async function startStationProcess(
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<StationProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main/headless.ts'], {
    cwd: ROOT,
    env: processEnv(dataDir, port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`station did not start in time:\n${out}`)), 45_000)
    const check = () => {
      if (!out.includes('listening on')) return
      clearTimeout(timer)
      child.stdout!.off('data', check)
      resolve()
    }
    child.stdout!.on('data', check)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`station exited before listening:\n${out}`))
    })
  })
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    rss() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]
        return kb === undefined ? undefined : Number(kb) * 1024
      } catch {
        return undefined
      }
    },
  }
}

export interface Ingested {
  deviceId: string
  ts: number
}

/** POSTs a batch; resolves with the HTTP status and Retry-After, or 0 when the connection failed. */
export async function postBatch(
  url: string,
  readings: { deviceId: string; sensor: string; value: number; ts: number }[],
): Promise<{ status: number; retryAfter: string | null }> {
  try {
    const res = await fetch(`${url}/api/v1/ingest/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': PROCESS_DEVICE_KEY },
      body: JSON.stringify({ readings }),
    })
    await res.arrayBuffer()
    return { status: res.status, retryAfter: res.headers.get('retry-after') }
  } catch {
    return { status: 0, retryAfter: null }
  }
}

export async function adminToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }),
  })
  return ((await login.json()) as { data: { token: string } }).data.token
}

/** Readings of one sensor of a device, as timestamps, through the history API. */
export async function storedTimestamps(
  url: string,
  token: string,
  deviceId: string,
  sensor: string,
): Promise<Set<number>> {
  const seen = new Set<number>()
  for (let offset = 0; ; offset += 10_000) {
    const res = await fetch(
      `${url}/api/v1/devices/${deviceId}/readings?sensor=${sensor}&limit=10000&offset=${offset}`,
      { headers: { authorization: `Bearer ${token}` } },
    )
    if (res.status === 404) return seen
    const body = (await res.json()) as { data: { readings: { ts: number }[] } }
    for (const r of body.data.readings) seen.add(r.ts)
    if (body.data.readings.length < 10_000) return seen
  }
}

/** Runs the headless station on a data folder until it exits by itself (a refused start); its code and output. */
export async function runStationProcessToExit(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/headless.ts', ...args], {
    cwd: ROOT,
    env: processEnv(dataDir, port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
  clearTimeout(timer)
  return { code, output: out }
}
