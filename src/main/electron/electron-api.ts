/**
 * The parts of Electron's main-process API the shell uses, as narrow structural types. The shell's
 * modules take them as arguments (`createShell(electron, deps)`): main.ts passes the real module (the
 * type checker proves it fits), tests pass the double in test-support/electron-double.ts.
 */
import type {
  BrowserWindowConstructorOptions,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  NativeImage,
  NotificationConstructorOptions,
} from 'electron'
import type { IpcMainLike } from '../ipc/register'

export type { BrowserWindowConstructorOptions, MenuItemConstructorOptions }

export interface PreventableEvent {
  preventDefault(): void
}

/** Images only pass from `nativeImage` to the tray: Electron's own type (doubles cast theirs). */
export type NativeImageLike = NativeImage

export interface HeadersDetails {
  url: string
  resourceType: string
  responseHeaders?: Record<string, string[]>
}
export interface HeadersResponse {
  responseHeaders?: Record<string, string[]>
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string },
        ) => void)
      | null,
  ): void
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null,
  ): void
  webRequest: {
    onHeadersReceived(
      listener: (details: HeadersDetails, callback: (response: HeadersResponse) => void) => void,
    ): void
  }
}

export interface WebContentsLike {
  readonly id: number
  readonly session: SessionLike
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  getURL(): string
  loadURL(url: string): Promise<void>
  isDestroyed(): boolean
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike
  loadURL(url: string): Promise<void>
  show(): void
  hide(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
  isVisible(): boolean
  isDestroyed(): boolean
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown
  on(event: 'closed', listener: () => void): unknown
  once(event: 'ready-to-show', listener: () => void): unknown
}

export interface MenuLike {
  readonly items: unknown[]
}

export interface TrayLike {
  setImage(image: NativeImageLike): void
  setToolTip(text: string): void
  setContextMenu(menu: MenuLike | null): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

export interface NotificationLike {
  show(): void
  close(): void
  on(event: 'click', listener: () => void): unknown
}

export interface LoginItemSettingsLike {
  openAtLogin: boolean
  /** macOS: this launch came from the login item. */
  wasOpenedAtLogin?: boolean
}

export interface AppLike {
  readonly isPackaged: boolean
  requestSingleInstanceLock(): boolean
  whenReady(): Promise<void>
  on(event: 'second-instance', listener: () => void): unknown
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown
  on(event: 'window-all-closed', listener: () => void): unknown
  on(event: 'activate', listener: () => void): unknown
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown
  quit(): void
  exit(exitCode?: number): void
  relaunch(): void
  getPath(name: 'userData' | 'logs'): string
  getAppPath(): string
  getVersion(): string
  getName(): string
  setAppUserModelId(id: string): void
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void
  getLoginItemSettings(): LoginItemSettingsLike
  setAboutPanelOptions(options: {
    applicationName?: string
    applicationVersion?: string
    version?: string
    credits?: string
    copyright?: string
  }): void
}

export interface ElectronLike {
  app: AppLike
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowLike
  ipcMain: IpcMainLike
  Menu: {
    buildFromTemplate(template: MenuItemConstructorOptions[]): MenuLike
    setApplicationMenu(menu: MenuLike | null): void
  }
  Tray: new (image: NativeImageLike) => TrayLike
  Notification: (new (options: NotificationConstructorOptions) => NotificationLike) & {
    isSupported(): boolean
  }
  nativeImage: { createFromPath(path: string): NativeImageLike }
  shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string> }
  dialog: {
    showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>
    showErrorBox(title: string, content: string): void
  }
  clipboard: { writeText(text: string): void }
  session: { readonly defaultSession: SessionLike }
}
