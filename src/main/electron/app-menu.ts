/** The application menu: the usual roles, plus the app's own items (About, browser, folders, restart). */
import type { MenuItemConstructorOptions } from './electron-api'

export interface MenuActions {
  about(): void
  openEvents(): void
  openInBrowser?(): void
  openDataFolder(): void
  openLogsFolder(): void
  restart(): void
  quit(): void
}

export function appMenuTemplate(
  actions: MenuActions,
  opts: { platform: NodeJS.Platform; devTools: boolean },
): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin'
  const about: MenuItemConstructorOptions = { label: 'About Guard Station', click: () => actions.about() }
  const quit: MenuItemConstructorOptions = {
    label: 'Quit Guard Station',
    accelerator: 'CmdOrCtrl+Q',
    click: () => actions.quit(),
  }
  const file: MenuItemConstructorOptions[] = [
    { label: 'Events', accelerator: 'CmdOrCtrl+E', click: () => actions.openEvents() },
    ...(actions.openInBrowser
      ? [{ label: 'Open in Browser', click: () => actions.openInBrowser?.() } as MenuItemConstructorOptions]
      : []),
    { type: 'separator' },
    { label: 'Open Data Folder', click: () => actions.openDataFolder() },
    { label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
    { type: 'separator' },
    { label: 'Restart Guard Station', click: () => actions.restart() },
    { role: 'close', label: 'Close Window (keeps serving)' },
    ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, quit]),
  ]
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(opts.devTools ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ]
  return [
    ...(mac
      ? [
          {
            label: 'Guard Station',
            submenu: [
              about,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              quit,
            ],
          } as MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: file },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: mac ? [] : [about] },
  ]
}
