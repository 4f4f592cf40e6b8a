/**
 * A test double of the Electron main-process API the shell uses (ElectronLike): it keeps what the shell
 * did (windows and their options, handlers, tray, menus, notifications, dialogs, links opened) and lets
 * a test act as Electron would (a page navigating, a frame calling IPC, a click, a quit). Each call to
 * `createElectronDouble()` is independent: no module state.
 */
import { EventEmitter } from 'node:events'
import type { NativeImage, NotificationConstructorOptions } from 'electron'
import type { IpcEventLike, IpcMainLike, SenderLike } from '../../ipc/register'
import type {
  BrowserWindowConstructorOptions,
  ElectronLike,
  HeadersDetails,
  HeadersResponse,
  MenuItemConstructorOptions,
  SessionLike,
} from '../electron-api'

type Listener = (...args: unknown[]) => unknown

export class Preventable {
  prevented = false
  preventDefault() {
    this.prevented = true
  }
}

export class SessionDouble implements SessionLike {
  permissionRequest?: Parameters<SessionLike['setPermissionRequestHandler']>[0]
  permissionCheck?: Parameters<SessionLike['setPermissionCheckHandler']>[0]
  headersListener?: (details: HeadersDetails, callback: (r: HeadersResponse) => void) => void
  webRequest = {
    onHeadersReceived: (l: NonNullable<SessionDouble['headersListener']>) => void (this.headersListener = l),
  }
  setPermissionRequestHandler(h: SessionDouble['permissionRequest']) {
    this.permissionRequest = h
  }
  setPermissionCheckHandler(h: SessionDouble['permissionCheck']) {
    this.permissionCheck = h
  }
  /** Asks for a permission as a page at `url` would; resolves with the answer. */
  request(permission: string, url: string): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.permissionRequest) return resolve(true) // Electron's default grants everything
      this.permissionRequest({}, permission, resolve, { requestingUrl: url })
    })
  }
  /** The response headers Electron would hand the page for a response. */
  headers(details: HeadersDetails): Record<string, string[]> | undefined {
    let out: Record<string, string[]> | undefined = details.responseHeaders
    this.headersListener?.(details, (r) => (out = r.responseHeaders ?? details.responseHeaders))
    return out
  }
}

export class WebContentsDouble extends EventEmitter implements SenderLike {
  url = ''
  destroyed = false
  readonly sent: { channel: string; payload: unknown }[] = []
  openHandler?: (details: { url: string }) => { action: 'deny' }
  constructor(
    readonly id: number,
    readonly session: SessionDouble,
  ) {
    super()
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = h
  }
  getURL() {
    return this.url
  }
  async loadURL(url: string) {
    this.url = url
  }
  isDestroyed() {
    return this.destroyed
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
  /** A page-initiated navigation: true when the app let it happen. */
  navigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = new Preventable()
    this.emit(kind, e, url)
    if (!e.prevented) this.url = url
    return !e.prevented
  }
  /** window.open from the page: what the app answered. */
  openWindow(url: string): { action: string } {
    return this.openHandler ? this.openHandler({ url }) : { action: 'allow' }
  }
}

export class ElectronDouble {
  readonly session = { defaultSession: new SessionDouble() }
  readonly windows: BrowserWindowDouble[] = []
  readonly notifications: NotificationDouble[] = []
  readonly trays: TrayDouble[] = []
  readonly opened: string[] = []
  readonly openedPaths: string[] = []
  readonly dialogs: { options: unknown }[] = []
  readonly errorBoxes: { title: string; content: string }[] = []
  readonly clipboardText: string[] = []
  applicationMenu: { items: MenuItemConstructorOptions[] } | null = null
  /** What showMessageBox answers (button index). */
  dialogResponse = 1
  notificationsSupported = true
  private nextContentsId = 1
  readonly app: AppDouble
  /** A webContents the app did not create (another window, a devtools page...). */
  foreignContents(): WebContentsDouble {
    return new WebContentsDouble(1000 + this.nextContentsId++, this.session.defaultSession)
  }
  readonly ipcMain = new IpcMainDouble()

  constructor(opts: {
    userData: string
    logs: string
    appPath?: string
    isPackaged?: boolean
    lock?: boolean
  }) {
    this.app = new AppDouble(opts)
  }

  /** The ElectronLike to hand to the shell. */
  api(): ElectronLike {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the classes below close over the double
    const double = this
    class BrowserWindow extends BrowserWindowDouble {
      constructor(options: BrowserWindowConstructorOptions) {
        super(options, new WebContentsDouble(double.nextContentsId++, double.session.defaultSession))
        double.windows.push(this)
        double.app.emit('web-contents-created', {}, this.webContents)
      }
    }
    class Tray extends TrayDouble {
      constructor(image: NativeImage) {
        super(image)
        double.trays.push(this)
      }
    }
    class Notification extends NotificationDouble {
      static isSupported() {
        return double.notificationsSupported
      }
      constructor(options: NotificationConstructorOptions) {
        super(options)
        double.notifications.push(this)
      }
    }
    return {
      app: this.app,
      BrowserWindow,
      ipcMain: this.ipcMain,
      Menu: {
        buildFromTemplate: (template) => ({ items: template }),
        setApplicationMenu: (menu) => void (this.applicationMenu = menu as ElectronDouble['applicationMenu']),
      },
      Tray,
      Notification,
      nativeImage: { createFromPath: (path) => ({ path, isEmpty: () => false }) as unknown as NativeImage },
      shell: {
        openExternal: async (url) => void this.opened.push(url),
        openPath: async (path) => {
          this.openedPaths.push(path)
          return ''
        },
      },
      dialog: {
        showMessageBox: async (options) => {
          this.dialogs.push({ options })
          return { response: this.dialogResponse }
        },
        showErrorBox: (title, content) => void this.errorBoxes.push({ title, content }),
      },
      clipboard: { writeText: (text) => void this.clipboardText.push(text) },
      session: this.session,
    }
  }
}

export class AppDouble extends EventEmitter {
  readonly isPackaged: boolean
  exitCode: number | undefined
  quitCalls = 0
  relaunched = false
  loginItem = { openAtLogin: false, args: [] as string[] }
  aboutOptions: object | undefined
  userModelId: string | undefined
  private readonly lock: boolean
  private readonly paths: { userData: string; logs: string }
  private readonly appPath: string
  readonly exited: Promise<number>
  private resolveExit!: (code: number) => void

  constructor(opts: {
    userData: string
    logs: string
    appPath?: string
    isPackaged?: boolean
    lock?: boolean
  }) {
    super()
    this.isPackaged = opts.isPackaged ?? false
    this.lock = opts.lock ?? true
    this.paths = { userData: opts.userData, logs: opts.logs }
    this.appPath = opts.appPath ?? process.cwd()
    this.exited = new Promise((resolve) => (this.resolveExit = resolve))
  }
  requestSingleInstanceLock() {
    return this.lock
  }
  whenReady() {
    return Promise.resolve()
  }
  /** Like Electron: before-quit first; the quit goes on only if nobody prevented it. */
  quit() {
    this.quitCalls++
    const e = new Preventable()
    this.emit('before-quit', e)
    if (!e.prevented) this.exit(0)
  }
  exit(code = 0) {
    if (this.exitCode !== undefined) return
    this.exitCode = code
    this.resolveExit(code)
  }
  relaunch() {
    this.relaunched = true
  }
  getPath(name: 'userData' | 'logs') {
    return this.paths[name]
  }
  getAppPath() {
    return this.appPath
  }
  getVersion() {
    return '0.1.0-test'
  }
  getName() {
    return 'Guard Station'
  }
  setAppUserModelId(id: string) {
    this.userModelId = id
  }
  setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }) {
    this.loginItem = { openAtLogin: s.openAtLogin, args: s.args ?? [] }
  }
  getLoginItemSettings() {
    return { openAtLogin: this.loginItem.openAtLogin }
  }
  setAboutPanelOptions(o: object) {
    this.aboutOptions = o
  }
}

export class BrowserWindowDouble extends EventEmitter {
  visible = false
  focused = false
  minimized = false
  destroyed = false
  loaded: string[] = []
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    readonly webContents: WebContentsDouble,
  ) {
    super()
  }
  async loadURL(url: string) {
    this.loaded.push(url)
    await this.webContents.loadURL(url)
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {
    this.focused = true
  }
  restore() {
    this.minimized = false
  }
  isMinimized() {
    return this.minimized
  }
  isVisible() {
    return this.visible
  }
  isDestroyed() {
    return this.destroyed
  }
  /** The page finished its first paint. */
  ready() {
    this.emit('ready-to-show')
  }
  /** The user clicked the close button: true when the window really closed. */
  close(): boolean {
    const e = new Preventable()
    this.emit('close', e)
    if (e.prevented) return false
    this.destroyed = true
    this.webContents.destroyed = true
    this.emit('closed')
    return true
  }
}

export class TrayDouble {
  tooltip = ''
  menu: { items: MenuItemConstructorOptions[] } | null = null
  destroyed = false
  private clickListener: (() => void) | undefined
  constructor(public image: NativeImage) {}
  setImage(image: NativeImage) {
    this.image = image
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setContextMenu(menu: { items: unknown[] } | null) {
    this.menu = menu as TrayDouble['menu']
  }
  on(_event: 'click', listener: () => void) {
    this.clickListener = listener
    return this
  }
  destroy() {
    this.destroyed = true
  }
  click() {
    this.clickListener?.()
  }
  /** The image's file name (the double's images carry their path). */
  imagePath(): string {
    return (this.image as unknown as { path: string }).path
  }
  /** Clicks the menu item with this label. */
  clickItem(label: string, checked?: boolean) {
    const item = this.menu?.items.find((i) => i.label === label)
    if (!item?.click) throw new Error(`no menu item ${label}`)
    ;(item.click as (i: { checked?: boolean }) => void)({ checked })
  }
}

export class NotificationDouble {
  shown = false
  private readonly listeners: (() => void)[] = []
  constructor(readonly options: NotificationConstructorOptions) {}
  show() {
    this.shown = true
  }
  close() {
    this.shown = false
  }
  on(_event: 'click', listener: () => void) {
    this.listeners.push(listener)
    return this
  }
  click() {
    for (const l of this.listeners) l()
  }
}

/** ipcMain for several senders: a test calls a channel as a given webContents and frame. */
export class IpcMainDouble implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>()
  readonly listeners = new Map<string, Listener[]>()
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener as Listener])
    return this
  }
  removeAllListeners(channel: string) {
    this.listeners.delete(channel)
    return this
  }
  /** ipcRenderer.invoke from `sender`, in the frame at `frameUrl` (a child frame when `parent` is given). */
  async invoke(
    sender: SenderLike,
    frame: { url: string; parent?: unknown } | null,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const h = this.handlers.get(channel)
    if (!h) throw new Error(`No handler registered for '${channel}'`)
    const senderFrame = frame ? { url: frame.url, parent: frame.parent ?? null } : null
    return structuredClone(await h({ sender, senderFrame }, ...args.map((a) => structuredClone(a))))
  }
  /** ipcRenderer.send from `sender`. */
  send(
    sender: SenderLike,
    frame: { url: string; parent?: unknown } | null,
    channel: string,
    ...args: unknown[]
  ) {
    const senderFrame = frame ? { url: frame.url, parent: frame.parent ?? null } : null
    for (const l of this.listeners.get(channel) ?? []) l({ sender, senderFrame }, ...args)
  }
}

export function createElectronDouble(opts: {
  userData: string
  logs: string
  appPath?: string
  isPackaged?: boolean
  lock?: boolean
}): ElectronDouble {
  return new ElectronDouble(opts)
}
