/** What the shell decides before the station starts: the SQLite build to load, the log file, failures. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { lanUrl } from './lan-address'
import { RotatingLogFile } from './log-file'
import { isAbiMismatch, nativeBindingPath } from './native-binding'
import { startupFailure } from './startup-failure'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the SQLite native module', () => {
  const base = {
    resourcesPath: '/opt/Guard Station/resources',
    appPath: '/src/guard-station',
    platform: 'linux' as const,
    arch: 'x64',
  }

  it('comes from the installer resources in the packaged app', () => {
    const path = nativeBindingPath({ ...base, isPackaged: true, exists: () => true })
    expect(path).toBe(join('/opt/Guard Station/resources', 'native', 'better_sqlite3.node'))
  })

  it('comes from native/electron/<platform>-<arch> in development, beside the Node build', () => {
    const path = nativeBindingPath({ ...base, isPackaged: false, exists: () => true })
    expect(path).toBe(join('/src/guard-station', 'native', 'electron', 'linux-x64', 'better_sqlite3.node'))
  })

  it("falls back to node_modules' own build when there is no Electron build", () => {
    expect(nativeBindingPath({ ...base, isPackaged: false, exists: () => false })).toBeUndefined()
  })

  it('recognises a module built for another runtime', () => {
    const err = new Error(
      "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.",
    )
    expect(isAbiMismatch(err)).toBe(true)
    expect(startupFailure(err).detail).toMatch(/npm run rebuild:electron/)
    expect(isAbiMismatch(new Error('disk full'))).toBe(false)
  })
})

describe('start-up failures', () => {
  it('say what to do', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE'), {
      code: 'EADDRINUSE',
      address: '0.0.0.0',
      port: 8787,
    })
    expect(startupFailure(inUse).detail).toMatch(/0\.0\.0\.0:8787.*STATION_PORT/s)
    const gone = Object.assign(new Error('listen EADDRNOTAVAIL'), {
      code: 'EADDRNOTAVAIL',
      address: '10.9.9.9',
    })
    expect(startupFailure(gone).detail).toMatch(/10\.9\.9\.9 is not an address of this computer/)
    expect(startupFailure(new Error('something else')).detail).toBe('something else')
  })
})

describe('the log file', () => {
  it('rotates by size and keeps two old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-logs-'))
    dirs.push(dir)
    const log = new RotatingLogFile(dir, 100, 2)
    for (let i = 0; i < 20; i++)
      log.write(`{"line":${String(i).padStart(2, '0')},"pad":"xxxxxxxxxxxxxxxx"}\n`)
    log.close()
    expect(readdirSync(dir).sort()).toEqual(['station.1.log', 'station.2.log', 'station.log'])
    const current = readFileSync(join(dir, 'station.log'), 'utf8')
    expect(current).toContain('"line":19')
    expect(current.length).toBeLessThanOrEqual(100)
  })
})

describe('the address shown in the tray', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.168.1.20', family: 'IPv4', internal: false },
    ],
  } as unknown as Parameters<typeof lanUrl>[2]

  it('is the LAN address when the station listens on every interface', () => {
    expect(lanUrl('0.0.0.0', 'http://127.0.0.1:8787', interfaces)).toBe('http://192.168.1.20:8787')
  })

  it('is the bound address otherwise, or loopback when there is no LAN', () => {
    expect(lanUrl('127.0.0.1', 'http://127.0.0.1:8787', interfaces)).toBe('http://127.0.0.1:8787')
    expect(lanUrl('0.0.0.0', 'http://127.0.0.1:8787', { lo: interfaces!.lo })).toBe('http://127.0.0.1:8787')
  })
})
