/**
 * Locks down every page the app shows: no new windows, no navigation away from the app's page, no
 * webviews, only the notifications permission (for the app's own page), and the desktop CSP on the
 * app's pages.
 */
import type { AppOrigin } from './app-origin'
import { desktopCsp } from './csp'
import type { SessionLike, WebContentsLike } from './electron-api'

interface Log {
  warn(obj: object, msg: string): void
}

export function hardenContents(contents: WebContentsLike, origin: AppOrigin, log: Log): void {
  // Links that would open a window: refused. The app opens outside links itself (external-links.ts).
  contents.setWindowOpenHandler(({ url }) => {
    log.warn({ url: url.slice(0, 200) }, 'refused to open a new window')
    return { action: 'deny' }
  })
  const stay = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    if (origin.isOwnPage(url)) return
    event.preventDefault()
    log.warn({ url: url.slice(0, 200) }, `refused ${kind}`)
  }
  contents.on('will-navigate', stay('navigation away from the app'))
  contents.on('will-redirect', stay('a redirect away from the app'))
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log.warn({}, 'refused a webview')
  })
}

/** Permissions for the app's own page: notifications only. Everything else, and every other page: no. */
export function permissionAllowed(origin: AppOrigin, permission: string, requestingUrl: string): boolean {
  return permission === 'notifications' && origin.isOwnOrigin(requestingUrl)
}

export function hardenSession(session: SessionLike, origin: AppOrigin): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(origin, permission, details.requestingUrl ?? '')),
  )
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(origin, permission, requestingOrigin),
  )
  session.webRequest.onHeadersReceived((details, callback) => {
    const page = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame'
    if (!page || !origin.isOwnOrigin(details.url)) {
      callback({})
      return
    }
    // Added to any policy the page already has: every policy applies, so the stricter one wins.
    const headers = { ...details.responseHeaders }
    const name = Object.keys(headers).find((n) => n.toLowerCase() === 'content-security-policy')
    headers[name ?? 'Content-Security-Policy'] = [
      ...(name ? (headers[name] ?? []) : []),
      desktopCsp(origin.origin),
    ]
    headers['X-Content-Type-Options'] = ['nosniff']
    callback({ responseHeaders: headers })
  })
}
