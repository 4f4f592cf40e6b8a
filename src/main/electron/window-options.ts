import type { BrowserWindowConstructorOptions } from 'electron'

/** The main window's options: Electron's security checklist (isolation, sandbox, no Node in the page). */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0e1116',
    show: false,
    title: 'Guard Station',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  }
}
