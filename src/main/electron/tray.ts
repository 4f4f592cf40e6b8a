/**
 * The tray icon: the station's state at a glance (icon and tooltip), and the menu that keeps the app
 * reachable while its window is closed: open the window or the events, settings toggles, quit.
 */
import type { ElectronLike, MenuItemConstructorOptions, NativeImageLike, TrayLike } from './electron-api'
import type { StationStatus } from './station-status'
import { trayView, type TrayLevel } from './tray-view'

export interface TrayActions {
  open(): void
  openEvents(): void
  /** Opens the station in the default browser (absent when the station only listens on loopback). */
  openInBrowser?(): void
  notifications: { get(): boolean; set(on: boolean): void }
  /** Absent where the system has no start-on-login. */
  startOnLogin?: { get(): boolean; set(on: boolean): void }
  quit(): void
}

export interface StationTray {
  update(status: StationStatus): void
  destroy(): void
}

export function trayMenu(status: StationStatus, actions: TrayActions): MenuItemConstructorOptions[] {
  const view = trayView(status)
  const [serving, devices, events] = view.lines
  const items: MenuItemConstructorOptions[] = [
    { label: 'Open Guard Station', click: () => actions.open() },
    { type: 'separator' },
    { label: serving ?? '', enabled: false },
  ]
  if (devices) items.push({ label: devices, enabled: false })
  if (events) items.push({ label: events, enabled: status.unacked > 0, click: () => actions.openEvents() })
  items.push({ type: 'separator' })
  if (actions.openInBrowser) {
    const open = actions.openInBrowser
    items.push({ label: 'Open in Browser', click: () => open() })
  }
  items.push({
    label: 'Desktop Notifications',
    type: 'checkbox',
    checked: actions.notifications.get(),
    click: (item) => actions.notifications.set(Boolean((item as { checked?: boolean }).checked)),
  })
  if (actions.startOnLogin) {
    const login = actions.startOnLogin
    items.push({
      label: 'Start on Login',
      type: 'checkbox',
      checked: login.get(),
      click: (item) => login.set(Boolean((item as { checked?: boolean }).checked)),
    })
  }
  items.push({ type: 'separator' }, { label: 'Quit Guard Station', click: () => actions.quit() })
  return items
}

export function createStationTray(
  electron: Pick<ElectronLike, 'Tray' | 'Menu'>,
  icons: Record<TrayLevel, NativeImageLike>,
  actions: TrayActions,
  initial: StationStatus,
): StationTray {
  const tray: TrayLike = new electron.Tray(icons[trayView(initial).level])
  let destroyed = false
  const render = (status: StationStatus) => {
    const view = trayView(status)
    tray.setImage(icons[view.level])
    tray.setToolTip(view.tooltip)
    tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenu(status, actions)))
  }
  // A click on the icon opens the window (Windows, most Linux trays); macOS shows the menu.
  tray.on('click', () => actions.open())
  render(initial)
  return {
    update(status) {
      if (!destroyed) render(status)
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      tray.destroy()
    },
  }
}
