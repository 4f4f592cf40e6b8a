import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStation, TEST_DEVICE_KEY, type TestStation } from './test-helper'
import { AUTH_FAILURE_DEFAULTS } from '../auth/auth-failures'

describe('failed authentication is limited per client IP', () => {
  let st: TestStation
  beforeAll(async () => {
    st = await createTestStation()
  })
  afterAll(() => st.close())

  const devices = (key: string, remoteAddress: string) =>
    st.app.inject({
      method: 'GET',
      url: '/api/v1/buzzer/esp32-x/pending',
      headers: { 'x-device-key': key },
      remoteAddress,
    })

  it('refuses an address with 429 once it has guessed too many keys, without touching other addresses', async () => {
    const guesser = '10.66.0.1'
    const codes: number[] = []
    for (let i = 0; i < AUTH_FAILURE_DEFAULTS.maxFailures + 20; i++) {
      codes.push((await devices(`guess-${i}-0123456789abcdef`, guesser)).statusCode)
    }
    expect(codes.slice(0, AUTH_FAILURE_DEFAULTS.maxFailures)).toEqual(
      Array(AUTH_FAILURE_DEFAULTS.maxFailures).fill(401),
    )
    expect(codes.slice(AUTH_FAILURE_DEFAULTS.maxFailures).every((c) => c === 429)).toBe(true)
    const refused = await devices(TEST_DEVICE_KEY, guesser)
    // Refused before the key is even checked: the guesser learns nothing more.
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' })
    // Guards' bearer tokens and WebSocket upgrades pass the same check.
    const ws = await st.app.inject({
      method: 'GET',
      url: '/ws/live?token=not-a-session',
      remoteAddress: guesser,
    })
    expect(ws.statusCode).toBe(429)
    // Public routes still answer, and other addresses are unaffected.
    expect(
      (await st.app.inject({ method: 'GET', url: '/api/health', remoteAddress: guesser })).statusCode,
    ).toBe(200)
    expect((await devices(TEST_DEVICE_KEY, '10.66.0.2')).statusCode).toBe(200)
    expect((await devices('wrong-key-wrong-key-0123', '10.66.0.3')).statusCode).toBe(401)
    expect(st.app.authFailures.stats().banned).toBe(1)
  })
})
