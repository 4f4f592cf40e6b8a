/**
 * Electron's security checklist, asserted on what ships: builds the app (electron-vite), runs the BUILT
 * main bundle under Node with the Electron double (test-support/bundle-probe.ts) so the real shell
 * starts the real station, and checks the window options, navigation, permissions, IPC sender checks,
 * the CSP of the built renderer and the header, the preload format, and the installer's fuses.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cspProblems, metaCsp } from './csp'

const root = fileURLToPath(new URL('../../..', import.meta.url))
// Inside the project, so the bundle resolves its dependencies from node_modules.
const out = join(root, 'test-results', `electron-checklist-${process.pid}`)
const home = mkdtempSync(join(tmpdir(), 'electron-checklist-'))

interface Report {
  windowOptions: { webPreferences: Record<string, unknown>; show: boolean }
  pageUrl: string
  pageStatus: number
  pageHtml: string
  cspHeader: string[] | undefined
  windowOpen: { action: string }
  navigateAway: boolean
  navigateFile: boolean
  navigateOwn: boolean
  permissions: Record<string, boolean>
  ipc: Record<string, { ok?: boolean; refused?: string }>
  exitCode: number
}
let report: Report

beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      out,
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'pipe',
    },
  )
  const stdout = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/main/electron/test-support/bundle-probe.ts'),
      join(out, 'main', 'index.js'),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        PROBE_HOME: home,
        STATION_PORT: '0',
        STATION_HOST: '127.0.0.1',
        STATION_ADMIN_PASSWORD: 'checklist-admin-password',
        STATION_DATA_DIR: '',
        LOG_LEVEL: 'silent',
      },
    },
  )
  const line = stdout.split('\n').find((l) => l.startsWith('PROBE '))
  if (!line) throw new Error(`the probe printed no report:\n${stdout}`)
  report = JSON.parse(line.slice('PROBE '.length)) as Report
}, 120_000)

afterAll(() => {
  rmSync(out, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
})

describe('the built app against the security checklist', () => {
  it('isolates and sandboxes the window, without Node or webviews', () => {
    expect(report.windowOptions.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(String(report.windowOptions.webPreferences.preload)).toMatch(/preload[\\/]index\.cjs$/)
  })

  it('loads the app page from the in-process station', () => {
    expect(report.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(report.pageStatus).toBe(200)
  })

  it('denies new windows and navigation away from the app', () => {
    expect(report.windowOpen).toEqual({ action: 'deny' })
    expect(report.navigateAway).toBe(false)
    expect(report.navigateFile).toBe(false)
    expect(report.navigateOwn).toBe(true)
  })

  it('grants the notifications permission to the app page, and nothing else', () => {
    expect(report.permissions).toEqual({
      notifications: true,
      media: false,
      geolocation: false,
      foreignNotifications: false,
    })
  })

  it('serves IPC only to the main frame of the app page in its own window', () => {
    expect(report.ipc.ownFrame).toEqual({ ok: true })
    expect(report.ipc.foreignFrame?.refused).toMatch(/foreign sender/)
    expect(report.ipc.subFrame?.refused).toMatch(/not the main frame/)
    expect(report.ipc.foreignContents?.refused).toMatch(/not a window of this app/)
  })

  it('has a strict CSP in the built renderer page and in the header the app adds', () => {
    const meta = metaCsp(report.pageHtml)
    expect(meta, 'the built index.html has a CSP meta tag').toBeDefined()
    expect(cspProblems(meta!)).toEqual([])
    const builtHtml = readFileSync(join(out, 'renderer', 'index.html'), 'utf8')
    expect(cspProblems(metaCsp(builtHtml) ?? '')).toEqual([])
    expect(report.cspHeader).toHaveLength(1)
    expect(cspProblems(report.cspHeader![0]!)).toEqual([])
    // Scripts in the built page come from the app's own files only.
    expect(builtHtml).not.toMatch(/<script(?![^>]*\bsrc=["']\.?\/assets\/)[^>]*>/)
  })

  it('ships a CommonJS preload (sandboxed preloads cannot be ES modules) and no loosened options', () => {
    const preload = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8')
    expect(preload).toMatch(/require\(["']electron["']\)/)
    expect(preload).not.toMatch(/^\s*import\s/m)
    const main = [
      join(out, 'main', 'index.js'),
      ...readdirSync(join(out, 'main', 'chunks')).map((f) => join(out, 'main', 'chunks', f)),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    expect(main).not.toMatch(/(contextIsolation|sandbox|webSecurity):\s*(false|!1)/)
    expect(main).not.toMatch(/nodeIntegration:\s*(true|!0)/)
  })

  it('quits cleanly: the station stops before the app exits', () => {
    expect(report.exitCode).toBe(0)
  })
})

describe('the installer configuration', () => {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
    expect(config.asar).not.toBe(false)
  })

  it('ships the Electron build of better-sqlite3, never rebuilding node_modules in place', () => {
    expect(config.npmRebuild).toBe(false)
    expect(JSON.stringify(config.extraResources)).toContain('better_sqlite3.node')
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**']))
  })
})
