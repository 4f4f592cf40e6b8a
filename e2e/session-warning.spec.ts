/**
 * The warning before a sign-in ends (issue 14.5), on stations of its own (any free port) whose session
 * times are seconds: "Stay signed in" renews an idle session; at the longest sign-in the warning says so,
 * offers nothing, and the guard is back at the login screen when it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { E2E_ADMIN_PASSWORD } from './env'
import { sessionToken } from './fixtures'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

interface OwnStation {
  url: string
  stop(): Promise<void>
}

/** Runs the built headless station on port 0 with `env`; resolves with the URL it prints. */
async function ownStation(env: Record<string, string>): Promise<OwnStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'station-e2e-session-'))
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'out', 'main', 'headless.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      STATION_HOST: '127.0.0.1',
      STATION_PORT: '0',
      STATION_DATA_DIR: dataDir,
      STATION_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      STATION_RENDERER_DIR: join(ROOT, 'out', 'renderer'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...env,
    },
  })
  let out = ''
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    void exited.then(() => reject(new Error(`station exited before listening:\n${out}`)))
  })
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function signInAt(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill(E2E_ADMIN_PASSWORD)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText('admin')
}

/** When the page's session ends, as the station says (reading it does not renew it). */
async function sessionEnd(page: Page, url: string): Promise<number> {
  const token = await sessionToken(page)
  const res = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: { expiresAt: number } }).data.expiresAt
}

test('warns before an idle sign-in ends; "Stay signed in" renews it; unanswered, it signs out', async ({
  page,
}) => {
  // Ends 8 s after the last action; the warning shows in the last 6 s.
  const st = await ownStation({ STATION_SESSION_IDLE_MS: '8000', STATION_SESSION_WARN_MS: '6000' })
  try {
    await signInAt(page, st.url)
    const warning = page.getByTestId('session-warning')
    await expect(warning).toContainText('nothing has been done on this screen for a while')
    const before = await sessionEnd(page, st.url)
    await page.getByTestId('session-stay').click()
    await expect.poll(() => sessionEnd(page, st.url)).toBeGreaterThan(before)
    // Nobody answers the next warning: back at the login screen, saying why.
    await expect(warning).toBeVisible()
    await expect(page.getByTestId('login-username')).toBeVisible({ timeout: 30_000 })
    await expect(page.getByText('Your session expired')).toBeVisible()
  } finally {
    await st.stop()
  }
})

test('at the longest sign-in the warning says when it ends and offers no renewal', async ({ page }) => {
  const st = await ownStation({
    STATION_SESSION_IDLE_MS: '600000',
    STATION_SESSION_MAX_MS: '10000',
    STATION_SESSION_WARN_MS: '8000',
  })
  try {
    await signInAt(page, st.url)
    const warning = page.getByTestId('session-warning')
    await expect(warning).toContainText('the longest a sign-in can last')
    await expect(page.getByTestId('session-stay')).toHaveCount(0)
    await expect(page.getByTestId('login-username')).toBeVisible({ timeout: 30_000 })
  } finally {
    await st.stop()
  }
})
