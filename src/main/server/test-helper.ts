/**
 * Test helper: builds a real station on a temp SQLite folder (or in memory), with a known admin password
 * and device key, and removes it afterwards. Tests that need sockets call `listen()` on 127.0.0.1:0.
 */
import type { FastifyServerOptions } from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type StationConfig } from '../config'
import { createStation, type Station } from '../station'

export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests'
export const TEST_DEVICE_KEY = 'device-key-for-tests-0123456789'

export interface TestStation extends Station {
  dataDir: string
  config: StationConfig
  /** Signs in and returns a bearer token. */
  login(username?: string, password?: string): Promise<string>
  /** Creates a guard user and returns its token. */
  guardToken(): Promise<string>
  close(): Promise<void>
}

export async function createTestStation(
  env: Record<string, string> = {},
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<TestStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-test-'))
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_HOST: '127.0.0.1',
    STATION_PORT: '0',
    STATION_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    STATION_DEVICE_KEY: TEST_DEVICE_KEY,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Load shedding is for real overload: a test machine running many stations at once is busy by design,
    // and a test of something else must not get 503 OVERLOADED for it (overload.test.ts sets its own).
    STATION_OVERLOAD_DELAY_MS: '10000',
    // Tests write readings at fixed times (1970 included): the device-time window is open wide for them
    // (devices/reading-time.test.ts sets its own).
    STATION_READING_MAX_AGE_MS: String(36_500 * 86_400_000),
    STATION_READING_MAX_AHEAD_MS: String(3650 * 86_400_000),
    ...env,
  })
  const station = await createStation(config, { logger: opts.logger ?? false })
  // Tests inject() without listening: create the admin as start() would once listening.
  await station.ensureAdmin()
  const login = async (username = 'admin', password = TEST_ADMIN_PASSWORD) => {
    const res = await station.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    })
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
    return res.json().data.token as string
  }
  let guard: string | undefined
  return {
    ...station,
    dataDir,
    config,
    login,
    async guardToken() {
      if (guard) return guard
      const admin = await login()
      const res = await station.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { authorization: `Bearer ${admin}` },
        payload: { username: 'guard1', password: 'guard-password-1', role: 'guard' },
      })
      if (res.statusCode !== 201 && res.statusCode !== 200)
        throw new Error(`guard create failed: ${res.body}`)
      guard = await login('guard1', 'guard-password-1')
      return guard
    },
    async close() {
      await station.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
