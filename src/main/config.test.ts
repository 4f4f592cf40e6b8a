import { describe, expect, it } from 'vitest'
import { loadConfig } from './config'
import { summary } from './station'

describe('loadConfig', () => {
  it('serves on first run with defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ port: 8787, host: '0.0.0.0', useDb: true, rateLimitMax: 1000, readPoolSize: 2 })
    expect(c.adminPassword).toBeUndefined()
    expect(c.deviceKey).toBeUndefined()
    expect(c.dataDir).toMatch(/guard-station$/)
    expect(c.queues.devices.maxWaitMs).toBe(100)
    expect(c.queues.readings.maxWaitMs).toBe(200)
    expect(c.queues.buzzers.maxWaitMs).toBe(150)
    expect(c.cache.maxEntries).toBe(100)
    expect(c.readTimeoutMs).toBe(15_000)
  })

  it('reads the documented variables', () => {
    const c = loadConfig({
      STATION_PORT: '9000',
      STATION_HOST: '127.0.0.1',
      STATION_DATA_DIR: '/tmp/x',
      USEDB: 'false',
      RATE_LIMIT_MAX: '50',
      STATION_ADMIN_PASSWORD: 'long-enough-password',
      STATION_DEVICE_KEY: 'a-device-key-of-length',
      STATION_READ_TIMEOUT_MS: '2500',
    })
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      useDb: false,
      rateLimitMax: 50,
      readTimeoutMs: 2500,
    })
  })

  it('carries the live-video settings (STATION_VIDEO_*)', () => {
    expect(loadConfig({}).video).toMatchObject({ maxFrameBytes: 2 * 1024 * 1024, offlineAfterMs: 10_000 })
    const c = loadConfig({ STATION_VIDEO_OFFLINE_MS: '1500', STATION_VIDEO_TLS_VERIFY: 'false' })
    expect(c.video).toMatchObject({ offlineAfterMs: 1500, tlsVerify: false })
    expect(() => loadConfig({ STATION_VIDEO_MAX_VIEWERS: '0' })).toThrow(/STATION_VIDEO_MAX_VIEWERS/)
    expect(summary(c)).toMatch(/Live video: .*offline after 1\.5s without a frame/)
  })

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ STATION_PORT: 'eighty' })).toThrow(/STATION_PORT/)
    expect(() => loadConfig({ USEDB: 'maybe' })).toThrow(/USEDB/)
    expect(() => loadConfig({ STATION_ADMIN_PASSWORD: 'short' })).toThrow(/at least 10/)
    expect(() => loadConfig({ STATION_DEVICE_KEY: 'short' })).toThrow(/at least 16/)
    expect(() => loadConfig({ STATION_READ_TIMEOUT_MS: '10' })).toThrow(/STATION_READ_TIMEOUT_MS/)
    // Beyond what a timer can hold (setTimeout would fire at once), and beyond any sensible wait.
    expect(() => loadConfig({ STATION_READ_TIMEOUT_MS: '3000000000' })).toThrow(/between 100 and 3600000/)
  })
})
