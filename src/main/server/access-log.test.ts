import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config'
import { createStation, type Station } from '../station'
import { TEST_ADMIN_PASSWORD, TEST_DEVICE_KEY } from './test-helper'

interface Line {
  level: number
  msg: string
  req?: { method: string; url: string }
  res?: { statusCode: number }
}

async function stationLoggingAt(level: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-log-'))
  const lines: Line[] = []
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_HOST: '127.0.0.1',
    STATION_PORT: '0',
    STATION_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    STATION_DEVICE_KEY: TEST_DEVICE_KEY,
    NODE_ENV: 'test',
  })
  const station = await createStation(config, {
    logger: { level, stream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) } },
  })
  const url = (await station.start()).url
  return {
    station,
    url,
    lines,
    close: async () => {
      await station.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const requestLines = (lines: Line[]) => lines.filter((l) => l.req !== undefined && l.res !== undefined)

describe('access log', () => {
  let info: Awaited<ReturnType<typeof stationLoggingAt>>
  let debug: Awaited<ReturnType<typeof stationLoggingAt>>
  let infoStation: Station
  beforeAll(async () => {
    info = await stationLoggingAt('info')
    debug = await stationLoggingAt('debug')
    infoStation = info.station
  })
  afterAll(async () => {
    await info.close()
    await debug.close()
  })

  it('at info: refused requests are logged, answered ones are not', async () => {
    expect((await fetch(`${info.url}/api/health`)).status).toBe(200)
    expect((await fetch(`${info.url}/api/cameras`)).status).toBe(401)
    const logged = requestLines(info.lines)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ level: 30, msg: 'request refused', res: { statusCode: 401 } })
    expect(logged[0]!.req).toMatchObject({ method: 'GET', url: '/api/cameras' })
    expect(infoStation.app.log.level).toBe('info')
  })

  it('at debug: every request, cache hits answered before Fastify included', async () => {
    const login = await fetch(`${debug.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    })
    const { token } = ((await login.json()) as { data: { token: string } }).data
    const auth = { authorization: `Bearer ${token}` }
    expect((await fetch(`${debug.url}/api/cameras/active`, { headers: auth })).headers.get('x-cache')).toBe(
      'MISS',
    )
    expect((await fetch(`${debug.url}/api/cameras/active`, { headers: auth })).headers.get('x-cache')).toBe(
      'HIT',
    )
    const active = requestLines(debug.lines).filter((l) => l.req?.url === '/api/cameras/active')
    expect(active).toHaveLength(2)
    for (const l of active)
      expect(l).toMatchObject({ level: 20, msg: 'request completed', res: { statusCode: 200 } })
    // The session token never reaches the log.
    expect(JSON.stringify(debug.lines)).not.toContain(token)
  })

  it('aggregates a storm of refusals from one address into a few lines', async () => {
    const before = info.lines.length
    const codes = await Promise.all(
      Array.from({ length: 60 }, () =>
        fetch(`${info.url}/api/v1/devices`, { headers: { 'x-device-key': 'a-wrong-key-a-wrong-key' } }).then(
          (r) => r.status,
        ),
      ),
    )
    expect(codes.every((c) => c === 401)).toBe(true)
    // At most one full line (none if this address was refused earlier in the interval).
    const refused = info.lines.slice(before).filter((l) => l.msg === 'request refused')
    expect(refused.length).toBeLessThanOrEqual(1)
    // The interval's count comes in one summary line (written at the latest when the station closes).
    await info.close()
    const summary = info.lines.find((l) => l.msg === 'more requests refused (aggregated)') as
      (Line & { suppressed: number }) | undefined
    expect(summary?.suppressed).toBeGreaterThanOrEqual(60 - refused.length)
    info = await stationLoggingAt('info')
    infoStation = info.station
  })
})
