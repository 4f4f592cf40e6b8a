/** The camera simulators' sign-in: a refused password says why and what to do (issue 14). */
import { afterAll, describe, expect, it } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signInAsAdmin } from './station-api'

describe('signInAsAdmin', () => {
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ success: false, code: 'BAD_LOGIN', message: 'Invalid username or password' }))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('explains a 401: STATION_ADMIN_PASSWORD applies to an empty data folder; pass the password or reset it', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const err = await signInAsAdmin(url, 'not-the-password').then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(err?.message).toContain('HTTP 401')
    expect(err?.message).toContain('empty data folder')
    expect(err?.message).toContain('--admin-password')
    expect(err?.message).toContain('npm run headless -- --reset-admin-password')
  })
})
