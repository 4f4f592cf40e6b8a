/**
 * The whole desktop shell on an Electron double with a real station: start-up (single instance, the
 * station in-process, the window on the app page), IPC from the window, closing to the tray, a
 * notification leading to the events screen, the menus, the first run, a failed start, and quitting.
 */
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/contract'
import { HIDDEN_ARG } from './login-item'
import { createShell, type Shell, type ShellDeps } from './shell'
import { createElectronDouble, type ElectronDouble } from './test-support/electron-double'

const PASSWORD = 'shell-admin-password'
const dirs: string[] = []
const running: { electron: ElectronDouble; shell: Shell }[] = []

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'station-shell-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  for (const { electron, shell } of running.splice(0)) {
    if (electron.app.exitCode === undefined) {
      electron.app.quit()
      await shell.exited
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function start(
  opts: { env?: NodeJS.ProcessEnv; argv?: string[]; lock?: boolean; isPackaged?: boolean } = {},
) {
  const home = tempDir()
  const outDir = join(home, 'out')
  mkdirSync(join(outDir, 'renderer'), { recursive: true })
  writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Guard Station</title>')
  const electron = createElectronDouble({
    userData: join(home, 'userData'),
    logs: join(home, 'logs'),
    appPath: home,
    isPackaged: opts.isPackaged ?? false,
    lock: opts.lock ?? true,
  })
  const deps: ShellDeps = {
    outDir,
    resourcesDir: join(home, 'resources'),
    env: {
      STATION_PORT: '0',
      STATION_HOST: '127.0.0.1',
      STATION_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'silent',
      ...opts.env,
    },
    argv: opts.argv ?? ['electron', '.'],
    platform: 'linux',
    arch: 'x64',
    execPath: '/usr/bin/guard-station',
    resourcesPath: undefined,
    versions: { ...process.versions, electron: '45.4.1', chrome: '142.0.0.0' },
    signals: new EventEmitter() as ShellDeps['signals'],
  }
  const shell = await createShell(electron.api(), deps)
  if (shell) running.push({ electron, shell })
  return { electron, shell, home, deps }
}

describe('the desktop shell', () => {
  it('starts the station in its data folder and opens the locked-down window on the app page', async () => {
    const { electron, shell, home } = await start()
    expect(shell).toBeDefined()
    const s = shell!
    expect(s.station.app.config.dataDir).toBe(join(home, 'userData'))
    // Development: the bundled ffmpeg is looked for in the project's resources/ (installers: resourcesPath).
    expect(s.station.app.config.video.ffmpegResourcesDir).toBe(join(electron.app.getAppPath(), 'resources'))
    expect(existsSync(join(home, 'userData', 'station.db'))).toBe(true)
    expect(electron.windows).toHaveLength(1)
    const win = electron.windows[0]!
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(home, 'out', 'preload', 'index.cjs'),
    })
    expect(win.loaded).toEqual([s.origin.pageUrl()])
    expect(s.origin.pageUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    win.ready()
    expect(win.visible).toBe(true)
    // The page the window loads is the station's renderer, served with the desktop CSP.
    const page = await fetch(s.origin.pageUrl())
    expect(page.status).toBe(200)
    const headers = electron.session.defaultSession.headers({
      url: s.origin.pageUrl(),
      resourceType: 'mainFrame',
      responseHeaders: {},
    })
    expect(headers?.['Content-Security-Policy']?.[0]).toContain("script-src 'self'")
    // Every webContents is locked down, including the window's.
    expect(win.webContents.openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(win.webContents.navigate('https://example.com/')).toBe(false)
  })

  it('serves IPC to its window only', async () => {
    const { electron, shell } = await start()
    const page = { url: shell!.origin.pageUrl() }
    const win = electron.windows[0]!
    const login = (sender: typeof win.webContents) =>
      electron.ipcMain.invoke(
        sender,
        page,
        IPC_CHANNELS.request,
        'auth:login',
        { username: 'admin', password: PASSWORD },
        null,
      )
    await expect(login(win.webContents)).resolves.toMatchObject({ ok: true })
    await expect(login(electron.foreignContents())).rejects.toThrow(/not a window of this app/)
  })

  it('keeps serving in the tray when the window closes, and comes back on a second launch', async () => {
    const { electron, shell } = await start()
    const win = electron.windows[0]!
    win.ready()
    expect(win.close()).toBe(false)
    expect(win.visible).toBe(false)
    expect(shell!.station.app.server.listening).toBe(true)
    // The first time, a hint says where it went.
    expect(electron.notifications.map((n) => n.options.title)).toContain('Guard Station keeps serving')
    electron.app.emit('second-instance')
    expect(win.visible).toBe(true)
    win.close()
    electron.trays[0]!.clickItem('Open Guard Station')
    expect(win.visible).toBe(true)
    expect(electron.windows).toHaveLength(1)
  })

  it('opens the events screen from a notification', async () => {
    const { electron, shell } = await start()
    const win = electron.windows[0]!
    win.ready()
    win.close()
    await shell!.station.app.events.record({
      type: 'device.offline',
      severity: 'warning',
      sourceKind: 'device',
      sourceId: 'esp32-gate',
      message: 'esp32-gate stopped reporting',
    })
    const end = Date.now() + 5000
    while (!electron.notifications.some((n) => n.options.title === 'Device offline') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20))
    }
    const n = electron.notifications.find((x) => x.options.title === 'Device offline')!
    expect(n.options.body).toBe('esp32-gate stopped reporting')
    n.click()
    expect(win.visible).toBe(true)
    expect(win.webContents.url).toBe(shell!.origin.pageUrl('events'))
  })

  it('starts hidden in the tray when launched at login', async () => {
    const { electron } = await start({ argv: ['guard-station', HIDDEN_ARG] })
    expect(electron.windows).toHaveLength(0)
    electron.trays[0]!.click()
    expect(electron.windows).toHaveLength(1)
  })

  it('has a menu with the usual roles, and an About box with versions', async () => {
    const { electron, shell } = await start()
    const menu = electron.applicationMenu!.items
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help'])
    const view = menu.find((m) => m.label === 'View')!.submenu as { role?: string }[]
    expect(view.map((i) => i.role).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'reload',
        'toggleDevTools',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
      ]),
    )
    electron.dialogResponse = 1
    await shell!.showAbout()
    const about = electron.dialogs.at(-1)!.options as { message: string; detail: string }
    expect(about.message).toBe('Guard Station 0.1.0-test')
    expect(about.detail).toMatch(/Electron 45\.4\.1/)
    expect(about.detail).toMatch(/Node\.js \d+\.\d+/)
    expect(about.detail).toMatch(/Chromium 142/)
    expect(about.detail).toMatch(/SQLite 3\.\d+/)
    expect(electron.clipboardText).toEqual(['Guard Station 0.1.0-test\n' + about.detail])
  })

  it('opens only the links it built: the station in a browser', async () => {
    const { electron, shell } = await start()
    electron.trays[0]!.clickItem('Open in Browser')
    await new Promise((r) => setTimeout(r, 0))
    expect(electron.opened).toEqual([shell!.origin.pageUrl()])
  })

  it('shows the generated admin password once, on the first run only', async () => {
    const { electron, shell, deps } = await start({ env: { STATION_ADMIN_PASSWORD: '' } })
    const first = electron.dialogs.map((d) => d.options as { message: string; detail: string })
    expect(first).toHaveLength(1)
    expect(first[0]!.message).toBe('Sign in as "admin" with this password')
    const password = first[0]!.detail.split('\n')[0]!
    expect(password).toMatch(/^\S{20,}$/)
    const res = await shell!.station.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password },
    })
    expect(res.statusCode).toBe(200)

    // The next start on the same data shows nothing.
    electron.app.quit()
    await shell!.exited
    const again = createElectronDouble({
      userData: electron.app.getPath('userData'),
      logs: electron.app.getPath('logs'),
      appPath: electron.app.getAppPath(),
    })
    const second = await createShell(again.api(), deps)
    running.push({ electron: again, shell: second! })
    expect(again.dialogs).toEqual([])
  })

  it('leaves at once when another instance runs', async () => {
    const { electron, shell } = await start({ lock: false })
    expect(shell).toBeUndefined()
    expect(electron.app.quitCalls).toBe(1)
    expect(electron.windows).toEqual([])
  })

  it('says why when the station cannot start, and exits', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
    const port = (blocker.address() as { port: number }).port
    try {
      const { electron, shell } = await start({ env: { STATION_PORT: String(port) } })
      expect(shell).toBeUndefined()
      expect(electron.app.exitCode).toBe(1)
      expect(electron.errorBoxes[0]?.content).toMatch(new RegExp(`:${port}.*STATION_PORT`, 's'))
    } finally {
      blocker.close()
    }
  })

  it('quits from the tray: the station stops, the database closes, then the app exits', async () => {
    const { electron, shell } = await start()
    electron.trays[0]!.clickItem('Quit Guard Station')
    expect(await shell!.exited).toBe(0)
    expect(shell!.station.app.server.listening).toBe(false)
    expect(shell!.station.app.db.open).toBe(false)
    expect(electron.trays[0]!.destroyed).toBe(true)
    // The window may close now.
    expect(electron.windows[0]!.close()).toBe(true)
    // IPC is gone with it.
    expect(electron.ipcMain.handlers.size).toBe(0)
  })

  it('writes its log to the logs folder when packaged', async () => {
    const { electron, shell } = await start({ isPackaged: true, env: { LOG_LEVEL: 'info' } })
    shell!.station.app.log.warn('hello from the test')
    const log = readFileSync(join(electron.app.getPath('logs'), 'station.log'), 'utf8')
    expect(log).toContain('hello from the test')
    // Packaged without a resourcesPath (this double): no bundled ffmpeg to look for.
    expect(shell!.station.app.config.video.ffmpegResourcesDir).toBeUndefined()
  })
})
