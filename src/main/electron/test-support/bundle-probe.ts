/**
 * Runs the BUILT main bundle (out/main/index.js) under plain Node with the Electron double in place of
 * `electron`, lets it start the real station, probes what it set up the way Electron and a page would,
 * quits it, and prints the findings as one JSON line. Started by checklist.test.ts:
 *   node --import tsx bundle-probe.ts <path to out/main/index.js>
 */
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { IPC_CHANNELS } from '../../../shared/contract'

register('./electron-hook.mjs', import.meta.url)

async function until(check: () => boolean, what: string) {
  const end = Date.now() + 30_000
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const bundle = process.argv[2]
if (!bundle) throw new Error('usage: bundle-probe.ts <out/main/index.js>')
const { double } = (await import('./electron-module')) as typeof import('./electron-module')
await import(pathToFileURL(bundle).href)
await until(() => double.windows.length === 1, 'the main window')

const win = double.windows[0]!
const pageUrl = win.loaded[0]!
const session = double.session.defaultSession
const page = await fetch(pageUrl)
const html = await page.text()
const login = (sender: typeof win.webContents, frame: { url: string; parent?: unknown } | null) =>
  double.ipcMain
    .invoke(
      sender,
      frame,
      IPC_CHANNELS.request,
      'auth:login',
      { username: 'admin', password: process.env.STATION_ADMIN_PASSWORD },
      null,
    )
    .then(
      (r) => ({ ok: (r as { ok: boolean }).ok }),
      (e: unknown) => ({ refused: String(e) }),
    )

const report = {
  windowOptions: win.options,
  pageUrl,
  pageStatus: page.status,
  pageHtml: html,
  cspHeader: session.headers({ url: pageUrl, resourceType: 'mainFrame', responseHeaders: {} })?.[
    'Content-Security-Policy'
  ],
  windowOpen: win.webContents.openWindow('https://example.com/'),
  navigateAway: win.webContents.navigate('https://example.com/'),
  navigateFile: win.webContents.navigate('file:///etc/passwd'),
  navigateOwn: win.webContents.navigate(`${pageUrl}#/events`),
  permissions: {
    notifications: await session.request('notifications', pageUrl),
    media: await session.request('media', pageUrl),
    geolocation: await session.request('geolocation', pageUrl),
    foreignNotifications: await session.request('notifications', 'https://example.com/'),
  },
  ipc: {
    ownFrame: await login(win.webContents, { url: pageUrl }),
    foreignFrame: await login(win.webContents, { url: 'https://example.com/' }),
    subFrame: await login(win.webContents, { url: pageUrl, parent: {} }),
    foreignContents: await login(double.foreignContents(), { url: pageUrl }),
  },
  exitCode: -1,
}
double.app.quit()
report.exitCode = await double.app.exited
process.stdout.write(`\nPROBE ${JSON.stringify(report)}\n`)
process.exit(0)
