/**
 * Start on login. Windows and macOS keep login items themselves (`app.setLoginItemSettings`); Linux
 * desktops read XDG autostart entries, so there the app writes its own `.desktop` file. Started at
 * login, the app opens in the tray only (`--hidden`).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { AppLike } from './electron-api'

export const HIDDEN_ARG = '--hidden'
export const AUTOSTART_FILE = 'guard-station.desktop'

export interface LoginItem {
  get(): boolean
  set(on: boolean): void
}

export interface LoginItemOptions {
  app: Pick<AppLike, 'setLoginItemSettings' | 'getLoginItemSettings'>
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  execPath: string
}

/** The autostart folder of XDG desktops. */
export function autostartDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart')
}

/** Quotes a path for a desktop entry's Exec line. */
function execQuote(path: string): string {
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Guard Station',
    'Comment=Keeps the guard station serving cameras, sensors and buzzers',
    `Exec=${execQuote(executable)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

export function createLoginItem(opts: LoginItemOptions): LoginItem {
  if (opts.platform === 'linux') {
    const file = join(autostartDir(opts.env), AUTOSTART_FILE)
    // An AppImage runs from a temporary mount: start the AppImage file itself.
    const executable = opts.env.APPIMAGE || opts.execPath
    return {
      get: () => existsSync(file),
      set(on) {
        if (!on) {
          rmSync(file, { force: true })
          return
        }
        mkdirSync(autostartDir(opts.env), { recursive: true })
        writeFileSync(file, autostartEntry(executable))
      },
    }
  }
  return {
    get: () => opts.app.getLoginItemSettings().openAtLogin,
    set: (on) => opts.app.setLoginItemSettings({ openAtLogin: on, args: [HIDDEN_ARG] }),
  }
}
