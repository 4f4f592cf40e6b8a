import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The main window's options: Electron's security checklist (isolated, sandboxed page without Node,
 * web security on, no webview, no insecure content). The checklist test reads these from the built
 * bundle too (src/main/electron/checklist.test.ts).
 */
export function mainWindowOptions(preloadPath: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0e1116',
    show: false,
    title: 'Guard Station',
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}
