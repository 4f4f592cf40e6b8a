/** Start on login: the OS's login items on Windows and macOS, an XDG autostart entry on Linux. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AUTOSTART_FILE, HIDDEN_ARG, createLoginItem } from './login-item'
import { AppDouble } from './test-support/electron-double'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('start on login', () => {
  it('uses the login items of Windows and macOS, starting hidden in the tray', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const app = new AppDouble({ userData: '/x', logs: '/x' })
      const item = createLoginItem({ app, platform, env: {}, execPath: '/Applications/Guard Station.app' })
      expect(item.get()).toBe(false)
      item.set(true)
      expect(app.loginItem).toEqual({ openAtLogin: true, args: [HIDDEN_ARG] })
      expect(item.get()).toBe(true)
      item.set(false)
      expect(item.get()).toBe(false)
    }
  })

  it('writes and removes an XDG autostart entry on Linux, for the AppImage file when there is one', () => {
    const config = mkdtempSync(join(tmpdir(), 'autostart-'))
    dirs.push(config)
    const app = new AppDouble({ userData: '/x', logs: '/x' })
    const env = { XDG_CONFIG_HOME: config, APPIMAGE: '/home/guard/Apps/Guard Station-0.1.0-x86_64.AppImage' }
    const item = createLoginItem({ app, platform: 'linux', env, execPath: '/tmp/.mount_guard/guard-station' })
    expect(item.get()).toBe(false)
    item.set(true)
    expect(item.get()).toBe(true)
    const entry = readFileSync(join(config, 'autostart', AUTOSTART_FILE), 'utf8')
    expect(entry).toContain('[Desktop Entry]')
    expect(entry).toContain('Exec="/home/guard/Apps/Guard Station-0.1.0-x86_64.AppImage" --hidden')
    item.set(false)
    expect(item.get()).toBe(false)
    expect(app.loginItem.openAtLogin).toBe(false)
  })
})
