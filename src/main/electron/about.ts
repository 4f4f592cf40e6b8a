/** The About box: the app's version and the versions of what it runs on (for support calls). */
import type { ElectronLike } from './electron-api'

export interface Versions {
  app: string
  electron: string
  chrome: string
  node: string
  v8: string
  sqlite: string
}

export function collectVersions(
  appVersion: string,
  sqlite: string,
  v: NodeJS.ProcessVersions = process.versions,
): Versions {
  return {
    app: appVersion,
    electron: v.electron ?? 'not running in Electron',
    chrome: v.chrome ?? '-',
    node: v.node,
    v8: v.v8,
    sqlite,
  }
}

export function aboutText(v: Versions): { message: string; detail: string } {
  return {
    message: `Guard Station ${v.app}`,
    detail: [
      `Electron ${v.electron}`,
      `Chromium ${v.chrome}`,
      `Node.js ${v.node}`,
      `V8 ${v.v8}`,
      `SQLite ${v.sqlite}`,
      '',
      'Cameras, sensors and buzzers on your LAN, for the guard on shift.',
    ].join('\n'),
  }
}

/** Fills the system About panel (the macOS app menu's About item) and returns the box for the others. */
export function setUpAbout(electron: Pick<ElectronLike, 'app' | 'dialog' | 'clipboard'>, versions: Versions) {
  const text = aboutText(versions)
  electron.app.setAboutPanelOptions({
    applicationName: 'Guard Station',
    applicationVersion: versions.app,
    version: `Electron ${versions.electron}`,
    credits: text.detail,
  })
  return async () => {
    const { response } = await electron.dialog.showMessageBox({
      type: 'info',
      title: 'About Guard Station',
      message: text.message,
      detail: text.detail,
      buttons: ['OK', 'Copy Versions'],
      defaultId: 0,
      noLink: true,
    })
    if (response === 1) electron.clipboard.writeText(`${text.message}\n${text.detail}`)
  }
}
