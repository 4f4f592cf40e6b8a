/**
 * Electron's security checklist for the window and its pages: the window's options, new windows and
 * navigation, webviews, permissions, and the CSP the app's pages get (header and the renderer's meta).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createAppOrigin } from './app-origin'
import { cspProblems, desktopCsp, metaCsp, parseCsp } from './csp'
import { Preventable, SessionDouble, WebContentsDouble } from './test-support/electron-double'
import { hardenContents, hardenSession } from './web-security'
import { mainWindowOptions } from './window-options'

const STATION = 'http://127.0.0.1:8787'
const quiet = { warn: () => {} }

function origin() {
  const o = createAppOrigin()
  o.set(STATION)
  return o
}

describe('the main window', () => {
  it('isolates and sandboxes its page, without Node', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('the app origin', () => {
  it('knows no own page before the station listens', () => {
    const o = createAppOrigin()
    expect(o.isOwnPage(`${STATION}/`)).toBe(false)
    expect(() => o.pageUrl()).toThrow(/not listening/)
  })

  it('is the station page only: same scheme, host and port, the root path', () => {
    const o = origin()
    expect(o.pageUrl()).toBe(`${STATION}/`)
    expect(o.pageUrl('events')).toBe(`${STATION}/#/events`)
    expect(o.isOwnPage(`${STATION}/#/cameras`)).toBe(true)
    expect(o.isOwnPage(`${STATION}/api/health`)).toBe(false)
    expect(o.isOwnPage('http://127.0.0.1:8788/')).toBe(false)
    expect(o.isOwnPage('http://localhost:8787/')).toBe(false)
    expect(o.isOwnPage('https://127.0.0.1:8787/')).toBe(false)
    expect(o.isOwnPage('file:///app/out/renderer/index.html')).toBe(false)
    expect(o.isOwnPage('not a url')).toBe(false)
    expect(o.isOwnOrigin(`${STATION}/api/health`)).toBe(true)
    expect(() => o.set('file:///etc/passwd')).toThrow(/not a station URL/)
  })
})

describe('a page in the app', () => {
  const contents = () => {
    const c = new WebContentsDouble(1, new SessionDouble())
    hardenContents(c, origin(), quiet)
    return c
  }

  it('opens no new window', () => {
    const c = contents()
    expect(c.openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(c.openWindow(`${STATION}/`)).toEqual({ action: 'deny' })
  })

  it('navigates only within the app page', () => {
    const c = contents()
    expect(c.navigate(`${STATION}/#/events`)).toBe(true)
    expect(c.navigate('https://example.com/')).toBe(false)
    expect(c.navigate(`${STATION}/api/openapi.json`)).toBe(false)
    expect(c.navigate('file:///etc/passwd')).toBe(false)
    expect(c.navigate('https://example.com/', 'will-redirect')).toBe(false)
  })

  it('attaches no webview', () => {
    const c = contents()
    const e = new Preventable()
    c.emit('will-attach-webview', e)
    expect(e.prevented).toBe(true)
  })
})

describe('the session', () => {
  const session = () => {
    const s = new SessionDouble()
    hardenSession(s, origin())
    return s
  }

  it('grants notifications to the app page, and nothing else to anyone', async () => {
    const s = session()
    expect(await s.request('notifications', `${STATION}/`)).toBe(true)
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'hid']) {
      expect(await s.request(p, `${STATION}/`)).toBe(false)
    }
    expect(await s.request('notifications', 'https://example.com/')).toBe(false)
    expect(s.permissionCheck?.({}, 'notifications', STATION)).toBe(true)
    expect(s.permissionCheck?.({}, 'media', STATION)).toBe(false)
    expect(s.permissionCheck?.({}, 'notifications', 'https://example.com')).toBe(false)
  })

  it('adds the desktop CSP to the app pages, keeping any policy they have', () => {
    const s = session()
    const page = s.headers({ url: `${STATION}/`, resourceType: 'mainFrame', responseHeaders: {} })
    expect(page?.['Content-Security-Policy']).toEqual([desktopCsp(STATION)])
    const withOwn = s.headers({
      url: `${STATION}/`,
      resourceType: 'mainFrame',
      responseHeaders: { 'content-security-policy': ["default-src 'none'"] },
    })
    expect(withOwn?.['content-security-policy']).toEqual(["default-src 'none'", desktopCsp(STATION)])
    // API answers and other sites are left as they are.
    expect(s.headers({ url: `${STATION}/api/health`, resourceType: 'xhr', responseHeaders: {} })).toEqual({})
    expect(
      s.headers({ url: 'https://example.com/', resourceType: 'mainFrame', responseHeaders: {} }),
    ).toEqual({})
  })
})

describe('the Content-Security-Policy', () => {
  it('of the desktop header passes the checklist and lets the page reach only its station', () => {
    const policy = desktopCsp(STATION)
    expect(cspProblems(policy)).toEqual([])
    expect(parseCsp(policy).get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:8787'])
    expect(parseCsp(policy).get('frame-ancestors')).toEqual(["'none'"])
  })

  it("of the renderer's page passes the checklist", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const policy = metaCsp(html)
    expect(policy).toBeDefined()
    expect(cspProblems(policy!)).toEqual([])
  })

  it('catches what the checklist forbids', () => {
    expect(
      cspProblems("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'"),
    ).toContain("script-src allows 'unsafe-eval'")
    expect(
      cspProblems("script-src 'self' https://cdn.example.com; object-src 'none'; base-uri 'self'"),
    ).toContain('script-src allows https://cdn.example.com')
    expect(cspProblems("script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'")).toContain(
      "script-src allows 'unsafe-inline'",
    )
    expect(cspProblems("script-src 'self'")).toEqual(
      expect.arrayContaining(["object-src is not 'none'", "base-uri is not 'none' or 'self'"]),
    )
    expect(cspProblems("style-src 'self'")).toContain('no script-src (nor default-src)')
  })
})
