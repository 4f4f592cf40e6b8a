/** Stations and the bare Fastify baseline the benchmark measures, plus small helpers shared by its sections. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { loadConfig } from '../src/main/config'
import { createStation, type Station } from '../src/main/station'
import { LatencyHistogram } from '../src/main/metrics/histogram'
import type { LoadAgent } from './agent'
import type { Row } from './table'

export const ADMIN_PASSWORD = 'bench-admin-password'
export const DEVICE_KEY = 'bench-device-key-0123456789abcdef'

export interface BenchStation {
  station: Station
  port: number
  url: string
  dataDir: string
  /** The environment the station was configured from (to start another on the same data). */
  env: Record<string, string>
  close(): Promise<void>
}

export async function startStation(env: Record<string, string> = {}): Promise<BenchStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-bench-'))
  const full = stationEnv(dataDir, env)
  const station = await createStation(loadConfig(full), { logger: false })
  const { url, port } = await station.start()
  return {
    station,
    port,
    url,
    dataDir,
    env: full,
    async close() {
      await station.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function stationEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    STATION_DATA_DIR: dataDir,
    STATION_HOST: '127.0.0.1',
    STATION_PORT: '0',
    STATION_ADMIN_PASSWORD: ADMIN_PASSWORD,
    STATION_DEVICE_KEY: DEVICE_KEY,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    ...env,
  }
}

/** The baseline: a bare Fastify server with the same routes doing only the unavoidable work. */
export interface Baseline {
  app: FastifyInstance
  port: number
  /** The bytes (and content type) `GET /api/cameras/active` serves. */
  setCameras(body: string, contentType: string): void
}

export async function startBaseline(): Promise<Baseline> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  let cameras = { body: '{"success":true,"data":[]}', type: 'application/json; charset=utf-8' }
  app.get('/api/cameras/active', (_req, reply) => {
    reply.header('content-type', cameras.type).send(cameras.body)
  })
  // Parses the same JSON (Fastify's default parser) and answers like the station, storing nothing.
  app.post('/api/v1/ingest/sensor-data', async (req) => {
    const body = req.body as { readings?: unknown[] }
    return { success: true, data: { accepted: Array.isArray(body.readings) ? body.readings.length : 1 } }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  return {
    app,
    port: typeof addr === 'object' && addr ? addr.port : 0,
    setCameras(body, type) {
      cameras = { body, type }
    },
  }
}

export interface BenchContext {
  agent: LoadAgent
  main: BenchStation
  baseline: Baseline
  quick: boolean
  rounds: number
  roundMs: number
  warmupMs: number
  sockets: number
  rows: Row[]
  notes: string[]
  log(line: string): void
}

/** True when the station has no such route (its 404 handler answered). */
export async function routeMissing(
  app: Station['app'],
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
): Promise<boolean> {
  const res = await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) })
  return res.statusCode === 404 && (res.json() as { code?: string }).code === 'NO_ROUTE'
}

export async function adminToken(app: Station['app']): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  })
  if (res.statusCode !== 200)
    throw new Error(`login failed: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`)
  return (res.json() as { data: { token: string } }).data.token
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Event-loop delay: how late a 5 ms timer fires, recorded on every wake-up (and once more at the end, so a
 * loop blocked until the end still counts). Unlike sampling with monitorEventLoopDelay, a fully blocked
 * loop cannot yield zero samples.
 */
export function eventLoopLag(intervalMs = 5): { stop(): LatencyHistogram } {
  const h = new LatencyHistogram()
  let expected = performance.now() + intervalMs
  let timer: NodeJS.Timeout
  const tick = () => {
    const now = performance.now()
    h.record(Math.max(0, now - expected))
    expected = now + intervalMs
    timer = setTimeout(tick, intervalMs)
  }
  timer = setTimeout(tick, intervalMs)
  return {
    stop() {
      clearTimeout(timer)
      const late = performance.now() - expected
      if (late > 0) h.record(late)
      return h
    },
  }
}
