/**
 * The desktop app: the station core in-process (the same `createStation` as `npm run headless`) with a
 * locked-down window on it, a tray that keeps it reachable, notifications, and a quit that flushes
 * every queue before exiting. Every Electron API arrives through `electron` (the real module in
 * main.ts, a double in tests); nothing here is a module-level singleton.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { loggerOptions } from '../server/app'
import { createStation, type Station } from '../station'
import { loadEffectiveConfig } from '../settings/effective-config'
import { setUpAbout, collectVersions } from './about'
import { appMenuTemplate } from './app-menu'
import { createAppOrigin, type AppOrigin } from './app-origin'
import { registerDesktopIpc } from './desktop-ipc'
import { openPrefs } from './desktop-prefs'
import type { ElectronLike } from './electron-api'
import { createExternalLinks } from './external-links'
import { chooseFirstRunPassword, createdWith, showFirstRunPassword } from './first-run'
import { RotatingLogFile } from './log-file'
import { lanUrl } from './lan-address'
import { HIDDEN_ARG, createLoginItem } from './login-item'
import { createMainWindow, type MainWindow } from './main-window'
import { nativeBindingPath } from './native-binding'
import { createAlarmNotifier } from './alarm-notifications'
import { createEventNotifier } from './notifications'
import { installQuitSequence, type QuitSequenceOptions } from './quit-sequence'
import { startupFailure } from './startup-failure'
import { trackStationStatus, type StatusTracker } from './station-status'
import { createStationTray, type StationTray } from './tray'
import type { TrayLevel } from './tray-view'
import { hardenContents, hardenSession } from './web-security'
import { registerFocusIpc } from './window-focus-ipc'

export const APP_ID = 'station.guard.desktop'

export interface ShellDeps {
  /** The built app's out/ folder (preload/index.cjs, renderer/). */
  outDir: string
  /** The app's icons (resources/). */
  resourcesDir: string
  env: NodeJS.ProcessEnv
  argv: readonly string[]
  platform: NodeJS.Platform
  arch: string
  execPath: string
  /** process.resourcesPath (where installers put native/better_sqlite3.node and ffmpeg/). */
  resourcesPath: string | undefined
  versions: NodeJS.ProcessVersions
  signals: QuitSequenceOptions['signals']
  createStation?: typeof createStation
  quitTimeoutMs?: number
}

export interface Shell {
  station: Station
  origin: AppOrigin
  window: MainWindow
  tray: StationTray
  status: StatusTracker
  /** Resolves with the exit code once the app exits. */
  exited: Promise<number>
  showAbout(): Promise<void>
}

type Log = {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export async function createShell(electron: ElectronLike, deps: ShellDeps): Promise<Shell | undefined> {
  const { app } = electron
  if (!app.requestSingleInstanceLock()) {
    // Another Guard Station runs: it comes to the front (its second-instance handler), this one leaves.
    app.quit()
    return undefined
  }
  let station: Station | undefined
  const log: Log = {
    info: (obj, msg) => (station ? station.app.log.info(obj, msg) : console.info(msg, obj)),
    warn: (obj, msg) => (station ? station.app.log.warn(obj, msg) : console.warn(msg, obj)),
    error: (obj, msg) => (station ? station.app.log.error(obj, msg) : console.error(msg, obj)),
  }
  const origin = createAppOrigin()
  const shown: { window?: MainWindow } = {}
  app.on('second-instance', () => shown.window?.show())
  app.on('activate', () => shown.window?.show())
  // Closing the window keeps the station serving in the tray: never quit on window-all-closed.
  app.on('window-all-closed', () => {})
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, origin, log))
  if (deps.platform === 'win32') app.setAppUserModelId(APP_ID)

  await app.whenReady()
  const userData = app.getPath('userData')
  const prefs = openPrefs(userData)
  const nativeBinding = nativeBindingPath({
    isPackaged: app.isPackaged,
    resourcesPath: deps.resourcesPath,
    appPath: app.getAppPath(),
    platform: deps.platform,
    arch: deps.arch,
  })

  let firstRunPassword: string | undefined
  let url: string
  let dataDir: string
  let host: string
  try {
    const { config, notes } = loadEffectiveConfig(deps.env, { defaultDataDir: userData, nativeBinding })
    config.rendererDir ??= join(deps.outDir, 'renderer')
    // The bundled ffmpeg sits in <resources>/ffmpeg/<platform>-<arch>/ (docs/ffmpeg.md).
    const ffmpegResources = app.isPackaged ? deps.resourcesPath : join(app.getAppPath(), 'resources')
    if (ffmpegResources) config.video.ffmpegResourcesDir = ffmpegResources
    dataDir = config.dataDir
    host = config.host
    firstRunPassword = chooseFirstRunPassword(config)
    const logFile = app.isPackaged ? new RotatingLogFile(app.getPath('logs')) : undefined
    station = await (deps.createStation ?? createStation)(
      config,
      logFile ? { logger: { ...(loggerOptions(config) as object), stream: logFile } } : {},
    )
    for (const note of notes) station.app.log.warn(note)
    url = (await station.start()).url
  } catch (err) {
    const failure = startupFailure(err)
    log.error({ err }, 'the station could not start')
    electron.dialog.showErrorBox(failure.title, failure.detail)
    await station?.stop().catch(() => {})
    app.exit(1)
    return undefined
  }
  const running = station
  origin.set(url)
  hardenSession(electron.session.defaultSession, origin)

  // What devices on the LAN use (the tray shows it); the window and the browser link use loopback.
  const shownUrl = lanUrl(host, url)
  const links = createExternalLinks(electron.shell, log)
  const browserUrl = links.build(origin.pageUrl())
  const openInBrowser = () => void links.open(browserUrl)
  const openFolder = (dir: string) => {
    mkdirSync(dir, { recursive: true })
    void electron.shell.openPath(dir)
  }

  const mainWindow = createMainWindow(electron, {
    preloadPath: join(deps.outDir, 'preload', 'index.cjs'),
    icon: join(deps.resourcesDir, 'icon.png'),
    origin,
    log,
    onHiddenByClose: () => {
      if (prefs.get().trayHintShown || !electron.Notification.isSupported()) return
      prefs.set({ trayHintShown: true })
      new electron.Notification({
        title: 'Guard Station keeps serving',
        body: 'Cameras, sensors and buzzers stay connected. Open the window or quit from the tray icon.',
      }).show()
    },
  })
  shown.window = mainWindow
  // The IPC channels exist before the page loads and calls them.
  const disposeIpc = registerDesktopIpc({
    ipcMain: electron.ipcMain,
    app: running.app,
    origin,
    isTrustedSender: (id) => mainWindow.isTrustedSender(id),
    log,
  })
  // A critical alarm on the desk brings the window to the front (the desk's own setting decides).
  const disposeFocusIpc = registerFocusIpc({
    ipcMain: electron.ipcMain,
    isTrustedSender: (id) => mainWindow.isTrustedSender(id),
    isOwnPage: (url) => origin.isOwnPage(url),
    focus: () => mainWindow.show(),
    log,
  })

  const notifier = createEventNotifier({
    Notification: electron.Notification,
    enabled: () => prefs.get().notifications,
    openEvents: () => mainWindow.show('events'),
  })
  const alarmNotifier = createAlarmNotifier({
    Notification: electron.Notification,
    enabled: () => prefs.get().notifications,
    openConsole: () => mainWindow.show('events'),
  })
  const loginItem = app.isPackaged
    ? createLoginItem({ app, platform: deps.platform, env: deps.env, execPath: deps.execPath })
    : undefined
  const icons = Object.fromEntries(
    (['ok', 'alert', 'stopped'] as const).map((level) => [
      level,
      electron.nativeImage.createFromPath(join(deps.resourcesDir, 'tray', `tray-${level}.png`)),
    ]),
  ) as Record<TrayLevel, ReturnType<ElectronLike['nativeImage']['createFromPath']>>
  const tray = createStationTray(
    electron,
    icons,
    {
      open: () => mainWindow.show(),
      openEvents: () => mainWindow.show('events'),
      openInBrowser,
      notifications: {
        get: () => prefs.get().notifications,
        set: (on) => prefs.set({ notifications: on }),
      },
      ...(loginItem ? { startOnLogin: loginItem } : {}),
      quit: () => app.quit(),
    },
    { serving: true, url: shownUrl, devicesOnline: 0, devicesKnown: 0, unacked: 0 },
  )
  const status = trackStationStatus({
    app: running.app,
    url: shownUrl,
    onChange: (s) => tray.update(s),
    onEvent: (event) => notifier.notify(event),
    onAlarm: (alarm) => alarmNotifier.notify(alarm),
  })

  const sqlite = (running.app.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  const showAbout = setUpAbout(electron, collectVersions(app.getVersion(), sqlite, deps.versions))
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(
      appMenuTemplate(
        {
          about: () => void showAbout(),
          openEvents: () => mainWindow.show('events'),
          openInBrowser,
          openDataFolder: () => openFolder(dataDir),
          openLogsFolder: () => openFolder(app.getPath('logs')),
          restart: () => {
            app.relaunch()
            app.quit()
          },
          quit: () => app.quit(),
        },
        { platform: deps.platform, devTools: !app.isPackaged },
      ),
    ),
  )

  const quit = installQuitSequence({
    app,
    signals: deps.signals,
    quit: () => app.quit(),
    beforeStop: () => {
      disposeIpc()
      disposeFocusIpc()
      status.stop()
      notifier.close()
      alarmNotifier.close()
      tray.destroy()
      mainWindow.allowClose()
    },
    stop: () => running.stop(),
    log,
    ...(deps.quitTimeoutMs !== undefined ? { timeoutMs: deps.quitTimeoutMs } : {}),
  })

  // Started at login: serve from the tray without opening the window.
  const atLogin =
    deps.argv.includes(HIDDEN_ARG) ||
    (deps.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true)
  if (!atLogin) mainWindow.show()
  if (firstRunPassword && (await createdWith(running.app, firstRunPassword))) {
    await showFirstRunPassword(electron, firstRunPassword)
  }
  return { station: running, origin, window: mainWindow, tray, status, exited: quit.exited, showAbout }
}
