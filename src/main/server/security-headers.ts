/**
 * Headers every answer of the station carries, whichever path writes it (Fastify, the hit lane, a
 * hijacked MJPEG stream): set on the raw response by the HTTP server before anything else runs.
 */
import type { ServerResponse } from 'node:http'

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // A camera's JPEG that is also valid HTML stays an image.
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
}

/**
 * The Content-Security-Policy of the station's pages, sent as an HTTP header with the page
 * (frame-ancestors works only there, not in a <meta> tag); the desktop window adds the same policy with
 * its station's WebSocket origin. Video tiles play Media Source object URLs (blob:).
 */
export function pageCsp(wsOrigin = 'ws: wss:'): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigin}`,
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export const RENDERER_CSP = pageCsp()

export function setSecurityHeaders(res: ServerResponse): void {
  for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]!)
}
