/**
 * The one main window. Closing it hides it (the station keeps serving, reachable from the tray); it is
 * destroyed only when the app quits. Its webContents id is the only sender IPC accepts. (Every
 * webContents, this one included, is locked down by the shell's web-contents-created hook.)
 */
import type { AppOrigin } from './app-origin'
import type { BrowserWindowLike, ElectronLike } from './electron-api'
import { mainWindowOptions } from './window-options'

export interface MainWindow {
  /** Shows (creating it when needed) and focuses the window, optionally on a renderer screen. */
  show(view?: string): void
  isTrustedSender(id: number): boolean
  /** From now on closing the window really closes it (the app is quitting). */
  allowClose(): void
  current(): BrowserWindowLike | undefined
}

export interface MainWindowOptions {
  preloadPath: string
  icon?: string
  origin: AppOrigin
  log: { warn(obj: object, msg: string): void }
  /** The window was hidden by closing it (the first time, tell the guard it keeps running). */
  onHiddenByClose?(): void
}

export function createMainWindow(
  electron: Pick<ElectronLike, 'BrowserWindow'>,
  opts: MainWindowOptions,
): MainWindow {
  let win: BrowserWindowLike | undefined
  let closing = false
  const trusted = new Set<number>()

  const create = (view?: string) => {
    const w = new electron.BrowserWindow(mainWindowOptions(opts.preloadPath, opts.icon))
    const id = w.webContents.id
    trusted.add(id)
    w.on('close', (event) => {
      if (closing) return
      event.preventDefault()
      w.hide()
      opts.onHiddenByClose?.()
    })
    w.on('closed', () => {
      trusted.delete(id)
      if (win === w) win = undefined
    })
    w.once('ready-to-show', () => {
      w.show()
      w.focus()
    })
    void w
      .loadURL(opts.origin.pageUrl(view))
      .catch((err: unknown) => opts.log.warn({ err }, 'the window could not load the app page'))
    win = w
  }

  return {
    show(view) {
      const w = win
      if (!w || w.isDestroyed()) {
        create(view)
        return
      }
      if (view) {
        // A same-page hash change: the renderer's router shows the screen without reloading.
        void w.webContents.loadURL(opts.origin.pageUrl(view)).catch(() => {})
      }
      if (w.isMinimized()) w.restore()
      w.show()
      w.focus()
    },
    isTrustedSender: (id) => trusted.has(id),
    allowClose() {
      closing = true
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  }
}
