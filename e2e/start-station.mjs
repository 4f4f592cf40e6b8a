// Playwright's web server: builds the app (unless E2E_SKIP_BUILD=1), then runs the headless station on
// 127.0.0.1 with a temporary data folder and known credentials; removes the folder when stopped.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (process.env.E2E_SKIP_BUILD !== '1') {
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
// A fresh folder: the one playwright.config.ts names (E2E_DATA_DIR), or a new temporary one.
const named = process.env.E2E_DATA_DIR
if (named) {
  rmSync(named, { recursive: true, force: true })
  mkdirSync(named, { recursive: true, mode: 0o700 })
}
const dataDir = named ?? mkdtempSync(join(tmpdir(), 'station-e2e-'))
const child = spawn(process.execPath, [join(root, 'out', 'main', 'headless.js')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    STATION_HOST: '127.0.0.1',
    STATION_PORT: process.env.E2E_PORT ?? '8797',
    STATION_DATA_DIR: dataDir,
    STATION_ADMIN_PASSWORD: 'e2e-admin-password',
    STATION_DEVICE_KEY: 'e2e-device-key-0123456789',
    STATION_DEVICE_OFFLINE_MS: '3000',
    STATION_BUZZER_TIMEOUT_MS: '10000',
    STATION_VIDEO_OFFLINE_MS: '3000',
    STATION_RENDERER_DIR: join(root, 'out', 'renderer'),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  },
})
const cleanup = () => rmSync(dataDir, { recursive: true, force: true })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => {
  cleanup()
  process.exit(code ?? (signal ? 0 : 1))
})
