import { describe, expect, it } from 'vitest'
import { CATALOG } from '../shared/settings/catalog'
import { rangeText } from '../shared/settings/define'
import { loadConfig } from './config'
import { summary } from './station'

describe('loadConfig', () => {
  it('says when a setting it no longer reads is set, naming what replaced it', () => {
    expect(loadConfig({}).retired).toEqual([])
    const [message] = loadConfig({ STATION_SESSION_TTL_MS: '43200000' }).retired!
    expect(message).toMatch(/STATION_SESSION_TTL_MS is no longer used/)
    expect(message).toContain('STATION_SESSION_IDLE_MS')
    expect(message).toContain('STATION_SESSION_MAX_MS')
  })

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

  it('reads the scraper allowlist (STATION_METRICS_ALLOW) as address/prefix entries', () => {
    expect(loadConfig({}).metricsAllow).toEqual([])
    expect(
      loadConfig({ STATION_METRICS_ALLOW: ' 192.168.1.20, 10.0.0.0/24 ::1 fd00::/8' }).metricsAllow,
    ).toEqual(['192.168.1.20/32', '10.0.0.0/24', '::1/128', 'fd00::/8'])
    for (const bad of [
      'prometheus.lan',
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.1/8/2',
      '::1/129',
      '10.0.0.0/x',
    ]) {
      expect(() => loadConfig({ STATION_METRICS_ALLOW: bad }), bad).toThrow(/STATION_METRICS_ALLOW/)
    }
  })

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ STATION_PORT: 'eighty' })).toThrow(/STATION_PORT/)
    expect(() => loadConfig({ USEDB: 'maybe' })).toThrow(/USEDB/)
    expect(() => loadConfig({ STATION_ADMIN_PASSWORD: 'short' })).toThrow(/at least 10/)
    expect(() => loadConfig({ STATION_DEVICE_KEY: 'short' })).toThrow(/at least 16/)
    expect(() => loadConfig({ STATION_READ_TIMEOUT_MS: '10' })).toThrow(/STATION_READ_TIMEOUT_MS/)
    // Beyond what a timer can hold (setTimeout would fire at once), and beyond any sensible wait.
    expect(() => loadConfig({ STATION_READ_TIMEOUT_MS: '3000000000' })).toThrow(/from 100 to 3600000/)
  })

  it('refuses a number out of its catalog range, naming the variable and the allowed range', () => {
    expect(() => loadConfig({ STATION_CACHE_TTL_MS: '5' })).toThrow(
      'STATION_CACHE_TTL_MS must be a whole number from 1000 to 86400000 ms (1 s to 24 h), got "5"',
    )
    expect(() => loadConfig({ STATION_READ_POOL_SIZE: '1.5' })).toThrow(
      'STATION_READ_POOL_SIZE must be a whole number from 1 to 16 worker threads, got "1.5"',
    )
    for (const s of CATALOG) {
      if (s.kind !== 'integer') continue
      const { minimum, maximum } = s.schema
      for (const bad of [minimum - 1, maximum + 1]) {
        expect(() => loadConfig({ [s.env]: String(bad) })).toThrow(
          `${s.env} must be a whole number from ${rangeText(s)}`,
        )
      }
    }
  })

  it('reads every catalog default when nothing is set, and the words of flags and choices', () => {
    expect(loadConfig({}).cache.defaultTtlMs).toBe(30_000)
    expect(loadConfig({}).video.tlsVerify).toBe(true)
    expect(loadConfig({}).video.ffmpegPath).toBeUndefined()
    expect(loadConfig({ STATION_FFMPEG: '/opt/ffmpeg/bin/ffmpeg' }).video.ffmpegPath).toBe(
      '/opt/ffmpeg/bin/ffmpeg',
    )
    const c = loadConfig({ STATION_WS_DEFLATE: 'On', STATION_DB_SYNCHRONOUS: 'normal', LOG_LEVEL: 'DEBUG' })
    expect(c).toMatchObject({ ws: { perMessageDeflate: true }, dbSynchronous: 'NORMAL', logLevel: 'debug' })
    expect(() => loadConfig({ STATION_DB_SYNCHRONOUS: 'OFF' })).toThrow(
      'STATION_DB_SYNCHRONOUS must be FULL or NORMAL, got "OFF"',
    )
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error/)
  })

  it('does not repeat a refused password or key in the message', () => {
    expect(() => loadConfig({ STATION_ADMIN_PASSWORD: 'secret' })).toThrow(
      'STATION_ADMIN_PASSWORD must be a text of at least 10 and at most 256 characters, got 6 characters',
    )
    expect(() => loadConfig({ STATION_DEVICE_KEY: 'has spaces but is long enough' })).toThrow(
      /^STATION_DEVICE_KEY must be .*\(letters, digits and \. _ ~ -\), got 29 characters$/,
    )
  })

  it('keeps the video backoff in order', () => {
    expect(() =>
      loadConfig({ STATION_VIDEO_BACKOFF_MIN_MS: '5000', STATION_VIDEO_BACKOFF_MAX_MS: '1000' }),
    ).toThrow('STATION_VIDEO_BACKOFF_MAX_MS must be at least STATION_VIDEO_BACKOFF_MIN_MS (5000), got "1000"')
  })
})
