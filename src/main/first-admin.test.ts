/**
 * The first admin and its one-time password: a start that fails (port in use) must not create the admin,
 * or its generated password would be printed by a run that then exits and never shown again.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startStationProcess, type StationProcess } from './devices/station-process'

const PASSWORD_LINE = /First run: sign in as "admin" with password: (\S+)/

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 })
    })
  })
}

describe('first admin', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-first-admin-'))
  const procs: StationProcess[] = []
  afterAll(() => {
    for (const p of procs) p.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('is created only once the station listens: a start that fails keeps the one-time password for the next', async () => {
    const { server, port } = await occupyPort()
    // No STATION_ADMIN_PASSWORD: the station generates one.
    const failed = await startStationProcess(dataDir, {
      STATION_ADMIN_PASSWORD: '',
      STATION_PORT: String(port),
    }).then(
      (p) => {
        procs.push(p)
        throw new Error('the station started on a port in use')
      },
      (err: unknown) => String(err),
    )
    await new Promise<void>((resolve) => server.close(() => resolve()))
    expect(failed).toMatch(/exited before listening/)
    expect(failed).not.toMatch(PASSWORD_LINE)

    const good = await startStationProcess(dataDir, { STATION_ADMIN_PASSWORD: '' })
    procs.push(good)
    const password = PASSWORD_LINE.exec(good.output())?.[1]
    expect(password, good.output()).toBeDefined()
    const res = await fetch(`${good.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
    expect(res.status).toBe(200)
  }, 120_000)
})
