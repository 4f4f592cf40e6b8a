/**
 * Stands in for the `electron` module when the checklist test runs the built main bundle under plain
 * Node (electron-hook.mjs resolves `electron` here). One double per process: that process is the probe.
 */
import { join } from 'node:path'
import { createElectronDouble } from './electron-double'

const home = process.env.PROBE_HOME ?? process.cwd()
export const double = createElectronDouble({
  userData: join(home, 'userData'),
  logs: join(home, 'logs'),
  appPath: home,
})
const api = double.api()

export const {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Tray,
  Notification,
  nativeImage,
  shell,
  dialog,
  clipboard,
  session,
} = api
export default api
