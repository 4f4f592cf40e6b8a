/**
 * The desktop app end to end in real Electron: it starts the station in-process, the guard signs in
 * and sees the camera grid with live frames, the page runs sandboxed over IPC, and quitting stops the
 * station cleanly. Runs wherever an Electron binary is installed; elsewhere it is skipped, saying why.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulatedCameras, type SimulatedCameras } from '../../src/main/video/sim'
import { canvasDigest } from '../fixtures'
import { NO_ELECTRON_REASON, electronBinary, root } from './electron-binary'

const binary = electronBinary()
const PASSWORD = 'desktop-e2e-password'
const DEVICE_KEY = 'desktop-e2e-device-key-0123'

test.describe('the desktop app', () => {
  test.skip(binary === undefined, NO_ELECTRON_REASON)

  let home: string
  let sim: SimulatedCameras | undefined
  test.beforeAll(() => {
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
      const built = spawnSync(
        process.execPath,
        [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        {
          cwd: root,
          stdio: 'inherit',
        },
      )
      if (built.status !== 0) throw new Error('electron-vite build failed')
    }
    home = mkdtempSync(join(tmpdir(), 'desktop-e2e-'))
  })
  test.afterAll(async () => {
    await sim?.stop()
    rmSync(home, { recursive: true, force: true })
  })

  test('signs in, shows the camera grid with live frames, and quits cleanly', async () => {
    const info = test.info()
    const dataDir = join(home, 'data')
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(root, 'out', 'main', 'index.js')],
      cwd: root,
      env: {
        ...process.env,
        STATION_DATA_DIR: dataDir,
        STATION_PORT: '0',
        STATION_HOST: '127.0.0.1',
        STATION_ADMIN_PASSWORD: PASSWORD,
        STATION_DEVICE_KEY: DEVICE_KEY,
        // Keep the app's own preferences out of the user's real profile.
        XDG_CONFIG_HOME: join(home, 'config'),
        APPDATA: join(home, 'appdata'),
        LOG_LEVEL: 'warn',
      },
    })
    const page = await app.firstWindow()
    const stationUrl = new URL(page.url()).origin
    expect(stationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    // The page is sandboxed, without Node, and talks to the station over IPC.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await page.evaluate(() => (globalThis as { station?: { kind: string } }).station?.kind)).toBe(
      'ipc',
    )

    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('current-user')).toContainText('admin')

    const login = await fetch(`${stationUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    })
    const { data } = (await login.json()) as { data: { token: string } }
    sim = await startSimulatedCameras({
      stationUrl,
      adminToken: data.token,
      deviceKey: DEVICE_KEY,
      cameras: 1,
      fps: 5,
      kinds: ['push'],
      namePrefix: 'Desktop cam',
    })
    await expect(page.getByTestId('camera-grid')).toBeVisible()
    const tile = `[data-camera-id="${sim.cameras[0]!.id}"] canvas`
    const first = await canvasDigest(page, tile)
    await expect.poll(() => canvasDigest(page, tile), { timeout: 15_000 }).not.toBe(first)
    await page.screenshot({ path: info.outputPath('desktop-grid.png') })
    await sim.stop()
    sim = undefined

    // Closing the window keeps the station serving (tray); quitting stops it.
    const windowClosed = await app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()[0]?.close()
      return BrowserWindow.getAllWindows().every((w) => !w.isVisible())
    })
    expect(windowClosed).toBe(true)
    expect((await fetch(`${stationUrl}/api/health`)).status).toBe(200)
    const exited = app.waitForEvent('close')
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    await exited
    await expect(fetch(`${stationUrl}/api/health`)).rejects.toThrow()
    // The database closed cleanly: its WAL was checkpointed into the file.
    const wal = join(dataDir, 'station.db-wal')
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true)
  })
})
