/**
 * The newcomer's path (issue 14): STATION_ADMIN_PASSWORD applies only to an empty data folder. A station
 * started with another one says it is ignored; `--reset-admin-password` sets the admin's password from it
 * (or generates one) and ends the admin's sessions.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROCESS_ADMIN_PASSWORD, startStationProcess, type StationProcess } from '../devices/station-process'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const NEW_PASSWORD = 'a-new-admin-password-42'

function reset(dataDir: string, password: string) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/main/headless.ts', '--reset-admin-password'],
    {
      cwd: ROOT,
      env: { ...process.env, STATION_DATA_DIR: dataDir, STATION_ADMIN_PASSWORD: password, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  )
  return { code: run.status, out: `${run.stdout}${run.stderr}` }
}

async function signIn(url: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  })
  const body = (await res.json()) as { data?: { token: string } }
  return { status: res.status, ...(body.data ? { token: body.data.token } : {}) }
}

async function stop(p: StationProcess): Promise<void> {
  p.child.kill('SIGTERM')
  await p.exited
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('admin password on an existing data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-reset-admin-'))
  const procs: StationProcess[] = []
  afterAll(() => {
    for (const p of procs) p.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('says STATION_ADMIN_PASSWORD is ignored, and --reset-admin-password applies it and ends sessions', async () => {
    // First start: the admin gets PROCESS_ADMIN_PASSWORD. Its own password again: nothing to say.
    const first = await startStationProcess(dataDir)
    procs.push(first)
    const old = await signIn(first.url, PROCESS_ADMIN_PASSWORD)
    expect(old.status).toBe(200)
    await stop(first)

    // Another password on the same folder: ignored, and the station says so and what to do.
    const second = await startStationProcess(dataDir, { STATION_ADMIN_PASSWORD: NEW_PASSWORD })
    procs.push(second)
    await until(() => second.output().includes('STATION_ADMIN_PASSWORD is set but ignored'))
    expect(second.output()).toContain('--reset-admin-password')
    expect((await signIn(second.url, NEW_PASSWORD)).status).toBe(401)
    await stop(second)

    const done = reset(dataDir, NEW_PASSWORD)
    expect(done.code, done.out).toBe(0)
    expect(done.out).toMatch(/New password set for "admin".*1 session ended/)

    const third = await startStationProcess(dataDir, { STATION_ADMIN_PASSWORD: NEW_PASSWORD })
    procs.push(third)
    const me = await fetch(`${third.url}/api/auth/me`, { headers: { authorization: `Bearer ${old.token}` } })
    expect(me.status).toBe(401)
    expect((await signIn(third.url, PROCESS_ADMIN_PASSWORD)).status).toBe(401)
    expect((await signIn(third.url, NEW_PASSWORD)).status).toBe(200)
    // Give the background check time to speak if it were to.
    await new Promise((r) => setTimeout(r, 3000))
    expect(third.output()).not.toContain('is set but ignored')
    await stop(third)

    // Without STATION_ADMIN_PASSWORD (and no terminal to type one): generated and printed once.
    const generated = reset(dataDir, '')
    expect(generated.code, generated.out).toBe(0)
    expect(generated.out).toMatch(/Sign in as "admin" with password: \S{20,}/)
  }, 180_000)

  it('refuses a weak password and a data folder without a station', () => {
    expect(reset(dataDir, 'aaaaaaaaaaaa').code).toBe(2)
    const empty = mkdtempSync(join(tmpdir(), 'station-reset-empty-'))
    try {
      const r = reset(empty, NEW_PASSWORD)
      expect(r.code).toBe(2)
      expect(r.out).toContain('No station database')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
