/**
 * The Electron shell: a thin layer that starts the same station core as `npm run headless` in-process,
 * opens a locked-down window on it, and stops the station (flushing every queue) before quitting.
 */
import { app, BrowserWindow, ipcMain } from 'electron'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../config'
import { createStation, type Station } from '../station'
import { mainWindowOptions } from './window-options'

let station: Station | undefined
let stationUrl = ''
let window: BrowserWindow | undefined

function preloadPath(): string {
  return fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
}

function isOwnPage(url: string): boolean {
  return stationUrl !== '' && (url === stationUrl || url.startsWith(`${stationUrl}/`))
}

function createWindow() {
  window = new BrowserWindow(mainWindowOptions(preloadPath()))
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  window.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault()
  })
  window.once('ready-to-show', () => window?.show())
  void window.loadURL(`${stationUrl}/`)
}

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })
  await app.whenReady()
  const config = loadConfig({ STATION_DATA_DIR: app.getPath('userData'), ...process.env })
  station = await createStation(config)
  stationUrl = (await station.start()).url

  ipcMain.handle('station:url', (event) => {
    if (!event.senderFrame || !isOwnPage(event.senderFrame.url)) throw new Error('refused: foreign sender')
    return stationUrl
  })
  app.on('web-contents-created', (_e, contents) => {
    contents.session.setPermissionRequestHandler((_wc, permission, callback) =>
      callback(permission === 'notifications'),
    )
  })
  createWindow()

  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !station) return
    event.preventDefault()
    quitting = true
    void station.stop().finally(() => app.exit(0))
  })
  app.on('window-all-closed', () => app.quit())
}

void main()
