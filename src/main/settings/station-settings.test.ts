/**
 * Station settings end to end: an admin saves settings through the API on a real station (real SQLite
 * in a temp folder), and the next start's configuration takes them, under any environment variable.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { createStation, type Station } from '../station'
import { SETTINGS } from '../../shared/settings/catalog'
import { rangeText } from '../../shared/settings/define'
import { loadEffectiveConfig } from './effective-config'
import { DATA_FOLDER_FILE } from './data-folder'
import { settingProblem } from './station-settings'
import { STATION_SETTING_KEYS, type StationSettings } from '../../shared/schemas/station-settings'

const PASSWORD = 'settings-admin-password'
const dirs: string[] = []
const stations: Station[] = []

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'station-settings-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Starts a station the way headless does: environment over saved settings over defaults. */
async function start(env: NodeJS.ProcessEnv) {
  const { config, notes } = loadEffectiveConfig({
    STATION_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'silent',
    ...env,
  })
  const station = await createStation(config, { logger: false })
  stations.push(station)
  await station.ensureAdmin()
  const login = await station.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  })
  const token = login.json().data.token as string
  const call = async (method: 'GET' | 'PUT', body?: object) => {
    const res = await station.app.inject({
      method,
      url: '/api/settings/station',
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { payload: body } : {}),
    })
    return {
      status: res.statusCode,
      body: res.json() as { data: StationSettings; message?: string; code?: string; success: boolean },
    }
  }
  return { station, config, notes, call, token }
}

const setting = (s: StationSettings, key: string) => s.settings.find((x) => x.key === key)!

describe('station settings', () => {
  it('shows running, saved and default values with where each comes from', async () => {
    const dir = tempDir()
    const { call } = await start({ STATION_DATA_DIR: dir, STATION_PORT: '0', STATION_HOST: '127.0.0.1' })
    const res = await call('GET')
    expect(res.status).toBe(200)
    const port = setting(res.body.data, 'port')
    expect(port).toMatchObject({
      value: 0,
      saved: null,
      default: 8787,
      source: 'environment',
      editable: false,
    })
    expect(setting(res.body.data, 'readPoolSize')).toMatchObject({
      value: 2,
      source: 'default',
      editable: true,
      restartRequired: false,
    })
    expect(res.body.data.restartRequired).toBe(false)
  })

  it('saves changes that apply on the next start, and says they need a restart', async () => {
    const dir = tempDir()
    const env = { STATION_DATA_DIR: dir, STATION_PORT: '0', STATION_HOST: '127.0.0.1' }
    const first = await start(env)
    const saved = await first.call('PUT', { readPoolSize: 3, cacheMaxEntries: 250, readingsFlushMs: 50 })
    expect(saved.status).toBe(200)
    expect(saved.body.data.changed).toEqual(['cacheMaxEntries', 'readingsFlushMs', 'readPoolSize'])
    expect(saved.body.data.restartRequired).toBe(true)
    expect(setting(saved.body.data, 'readPoolSize')).toMatchObject({
      value: 2,
      saved: 3,
      source: 'saved',
      restartRequired: true,
    })
    // The running station is unchanged until it restarts.
    expect(first.config.readPoolSize).toBe(2)
    await first.station.stop()

    const second = await start(env)
    expect(second.config.readPoolSize).toBe(3)
    expect(second.config.cache.maxEntries).toBe(250)
    expect(second.config.queues.readings.maxWaitMs).toBe(50)
    expect(second.station.app.reads.stats().size).toBe(3)
    const after = await second.call('GET')
    expect(setting(after.body.data, 'readPoolSize')).toMatchObject({ value: 3, restartRequired: false })
    expect(after.body.data.restartRequired).toBe(false)

    // null restores the default (on the next start).
    const reset = await second.call('PUT', { readPoolSize: null })
    expect(setting(reset.body.data, 'readPoolSize')).toMatchObject({
      saved: null,
      source: 'default',
      restartRequired: true,
    })
  })

  it('lets environment variables win over saved settings', async () => {
    const dir = tempDir()
    const first = await start({ STATION_DATA_DIR: dir, STATION_PORT: '0', STATION_HOST: '127.0.0.1' })
    await first.call('PUT', { cacheTtlMs: 5000 })
    await first.station.stop()
    const { config } = loadEffectiveConfig({ STATION_DATA_DIR: dir, STATION_CACHE_TTL_MS: '7000' })
    expect(config.cache.defaultTtlMs).toBe(7000)
    expect(loadEffectiveConfig({ STATION_DATA_DIR: dir }).config.cache.defaultTtlMs).toBe(5000)
  })

  it('refuses settings fixed by the environment, bad values, and partial saves', async () => {
    const dir = tempDir()
    const { call } = await start({
      STATION_DATA_DIR: dir,
      STATION_PORT: '0',
      STATION_HOST: '127.0.0.1',
      STATION_DEVICE_KEY: 'env-device-key-0123456789',
    })
    const fixed = await call('PUT', { port: 9000 })
    expect(fixed.status).toBe(409)
    expect(fixed.body.message).toMatch(/STATION_PORT/)
    expect((await call('PUT', { deviceKey: 'another-key-0123456789' })).status).toBe(409)
    expect((await call('PUT', { readPoolSize: 99 })).status).toBe(400)
    expect((await call('PUT', { cacheTtlMs: 'soon' })).status).toBe(400)
    expect((await call('PUT', { dataDir: '/elsewhere' })).status).toBe(409) // STATION_DATA_DIR is set
    expect((await call('PUT', { unknown: 1 })).status).toBe(400)
    // One bad value refuses the whole request: the good one is not saved either.
    const mixed = await call('PUT', { cacheMaxEntries: 300, port: 9000 })
    expect(mixed.status).toBe(409)
    expect(setting((await call('GET')).body.data, 'cacheMaxEntries').saved).toBeNull()
  })

  it('refuses what the environment parser refuses, with the same catalog limits and a clear message', async () => {
    const dir = tempDir()
    const { call } = await start({ STATION_DATA_DIR: dir, STATION_PORT: '0', STATION_HOST: '127.0.0.1' })
    const res = await call('PUT', { cacheTtlMs: 5 })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      success: false,
      code: 'VALIDATION',
      message:
        'Invalid body: Response cache TTL (cacheTtlMs) must be a whole number from 1000 to 86400000 ms (1 s to 24 h), or null for the default',
    })
    expect(() => loadConfig({ STATION_CACHE_TTL_MS: '5' })).toThrow(
      'STATION_CACHE_TTL_MS must be a whole number from 1000 to 86400000 ms (1 s to 24 h)',
    )
    const editable = STATION_SETTING_KEYS.filter((k) => k !== 'port')
    const ints = editable.flatMap((k) => (SETTINGS[k].kind === 'integer' ? [[k, SETTINGS[k]] as const] : []))
    for (const [key, setting] of ints) {
      const { minimum, maximum } = setting.schema
      for (const bad of [minimum - 1, maximum + 1]) {
        const refused = await call('PUT', { [key]: bad })
        expect(refused.status, `${key}=${bad}`).toBe(400)
        expect(refused.body.message).toContain(`(${key}) must be a whole number from ${rangeText(setting)}`)
        expect(() => loadConfig({ [setting.env]: String(bad) })).toThrow(rangeText(setting))
      }
    }
    // Port 0 (any free port) is in the variable's range, for tests, but no port a site can save.
    expect(settingProblem('port', 0)).toMatch(/any free port/)
    expect(settingProblem('port', 8080)).toBeUndefined()
    // 0 and false are refused, not taken for null (which restores the default).
    expect((await call('PUT', { cacheMaxEntries: 0 })).status).toBe(400)
    expect((await call('PUT', { cacheTtlMs: false })).status).toBe(400)
    expect((await call('PUT', { cacheMaxEntries: null })).status).toBe(200)
    // The bounds themselves pass, on both sides.
    const atMax = Object.fromEntries(ints.map(([key, s]) => [key, s.schema.maximum]))
    expect((await call('PUT', atMax)).status).toBe(200)
    expect(() =>
      loadConfig(Object.fromEntries(ints.map(([, s]) => [s.env, String(s.schema.maximum)]))),
    ).not.toThrow()
    const key = await call('PUT', { deviceKey: 'short' })
    expect(key.body.message).toBe(
      'Invalid body: Device key (deviceKey) must be a text of at least 16 and at most 256 characters (letters, digits and . _ ~ -)',
    )
    expect((await call('PUT', { cacheTTL: 5 })).body.message).toBe(
      'Invalid body: cacheTTL is not a station setting',
    )
  })

  it('refuses a bind address that is not an address of this computer', async () => {
    const dir = tempDir()
    const { call } = await start({ STATION_DATA_DIR: dir, STATION_PORT: '0' })
    const res = await call('PUT', { host: '203.0.113.7' })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/not an address of this computer/)
    const ok = await call('PUT', { host: '127.0.0.1' })
    expect(setting(ok.body.data, 'host')).toMatchObject({
      value: '0.0.0.0',
      saved: '127.0.0.1',
      restartRequired: true,
    })
  })

  it('applies a new device key at once', async () => {
    const dir = tempDir()
    const { call, station, token } = await start({
      STATION_DATA_DIR: dir,
      STATION_PORT: '0',
      STATION_HOST: '127.0.0.1',
    })
    const res = await call('PUT', { deviceKey: 'chosen-site-key-0123456789' })
    expect(res.body.data.appliedNow).toEqual(['deviceKey'])
    const key = await station.app.inject({
      method: 'GET',
      url: '/api/settings/device-key',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(key.json().data.deviceKey).toBe('chosen-site-key-0123456789')
    const ingest = await station.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/sensor-data',
      headers: { 'x-device-key': 'chosen-site-key-0123456789' },
      payload: { deviceId: 'esp-settings', sensor: 'temperature', value: 21, unit: 'C' },
    })
    expect(ingest.statusCode).toBe(200)
  })

  it('moves the data to a new folder on the next start, keeping the old copy', async () => {
    const home = tempDir()
    const moved = join(tempDir(), 'moved-data')
    const env = { STATION_PORT: '0', STATION_HOST: '127.0.0.1' }
    const a = loadEffectiveConfig({ ...env, STATION_ADMIN_PASSWORD: PASSWORD }, { defaultDataDir: home })
    expect(a.config.dataDir).toBe(home)
    const station = await createStation(a.config, { logger: false })
    stations.push(station)
    await station.ensureAdmin()
    const login = await station.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: PASSWORD },
    })
    const token = login.json().data.token as string
    const relative = await station.app.inject({
      method: 'PUT',
      url: '/api/settings/station',
      headers: { authorization: `Bearer ${token}` },
      payload: { dataDir: 'relative/path' },
    })
    expect(relative.statusCode).toBe(400)
    const put = await station.app.inject({
      method: 'PUT',
      url: '/api/settings/station',
      headers: { authorization: `Bearer ${token}` },
      payload: { dataDir: moved, cacheMaxEntries: 321 },
    })
    expect(put.statusCode).toBe(200)
    expect(existsSync(join(home, DATA_FOLDER_FILE))).toBe(true)
    await station.stop()

    const b = loadEffectiveConfig({ ...env }, { defaultDataDir: home })
    expect(b.config.dataDir).toBe(moved)
    expect(b.notes.join()).toMatch(/copied the database/)
    // The copy carries the settings (and everything else) along.
    expect(b.config.cache.maxEntries).toBe(321)
    expect(existsSync(join(moved, 'station.db'))).toBe(true)
    expect(existsSync(join(home, 'station.db'))).toBe(true)
    // STATION_DATA_DIR wins over the chosen folder.
    expect(loadEffectiveConfig({ STATION_DATA_DIR: home }, { defaultDataDir: home }).config.dataDir).toBe(
      home,
    )
  })

  it('ignores saved values that no longer pass, with a note', async () => {
    const dir = tempDir()
    const first = await start({ STATION_DATA_DIR: dir, STATION_PORT: '0', STATION_HOST: '127.0.0.1' })
    first.station.app.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('station.readPoolSize', '40', 0)")
      .run()
    await first.station.stop()
    const { config, notes } = loadEffectiveConfig({ STATION_DATA_DIR: dir })
    expect(config.readPoolSize).toBe(2)
    expect(notes.join()).toMatch(/readPoolSize ignored/)
    writeFileSync(join(dir, DATA_FOLDER_FILE), 'not json')
    expect(loadEffectiveConfig({}, { defaultDataDir: dir }).config.dataDir).toBe(dir)
  })

  it('is for admins only', async () => {
    const dir = tempDir()
    const { station, token } = await start({
      STATION_DATA_DIR: dir,
      STATION_PORT: '0',
      STATION_HOST: '127.0.0.1',
    })
    const anon = await station.app.inject({ method: 'GET', url: '/api/settings/station' })
    expect(anon.statusCode).toBe(401)
    await station.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${token}` },
      payload: { username: 'guard9', password: 'guard-password-9', role: 'guard' },
    })
    const login = await station.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'guard9', password: 'guard-password-9' },
    })
    const guard = login.json().data.token as string
    for (const method of ['GET', 'PUT'] as const) {
      const res = await station.app.inject({
        method,
        url: '/api/settings/station',
        headers: { authorization: `Bearer ${guard}` },
        ...(method === 'PUT' ? { payload: { readPoolSize: 3 } } : {}),
      })
      expect(res.statusCode).toBe(403)
    }
  })
})
