/**
 * Which URL a camera may have. Pull cameras (mjpeg, snapshot: http/https; rtsp: rtsp/rtsps, for the main
 * stream `url` and the optional sub stream `subUrl`) need one; push cameras send their video to the station
 * and have none. Anything else (file:, exec:, javascript:,
 * data:...) is refused: the station must never be talked into reading local files or running things.
 * Credentials embedded in the URL are moved out of it, so the stored URL never carries a secret.
 */
import { CAMERA_URL_SCHEMES, type CameraKind } from '../../shared/constants'
import { MAX_CAMERA_URL } from '../../shared/schemas/cameras'

export { MAX_CAMERA_URL }

const SCHEMES_FOR: Record<Exclude<CameraKind, 'push'>, readonly string[]> = {
  mjpeg: ['http:', 'https:'],
  snapshot: ['http:', 'https:'],
  rtsp: ['rtsp:', 'rtsps:'],
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export type CameraUrlCheck =
  { ok: true; url: string | null; username?: string; password?: string } | { ok: false; problem: string }

/**
 * Checks a camera's `url` (or, with `field`, another URL of it such as `subUrl`, named so in the problem)
 * for its kind and moves credentials out of it.
 */
export function checkCameraUrl(
  kind: CameraKind,
  url: string | null | undefined,
  field: 'url' | 'subUrl' = 'url',
): CameraUrlCheck {
  const raw = url?.trim() ?? ''
  if (kind === 'push') {
    if (raw !== '') {
      return { ok: false, problem: `A push camera sends its video to the station: it takes no ${field}` }
    }
    return { ok: true, url: null }
  }
  if (raw === '') return { ok: false, problem: `A ${kind} camera needs a ${field}` }
  if (raw.length > MAX_CAMERA_URL)
    return { ok: false, problem: `The ${field} is longer than ${MAX_CAMERA_URL} characters` }
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    return { ok: false, problem: `The ${field} "${raw.slice(0, 100)}" is not a valid absolute URL` }
  }
  const scheme = parsed.protocol.toLowerCase()
  if (!(CAMERA_URL_SCHEMES as readonly string[]).includes(scheme)) {
    return {
      ok: false,
      problem: `The ${field} scheme "${scheme}" is not allowed: cameras use ${CAMERA_URL_SCHEMES.join(', ')}`,
    }
  }
  const allowed = SCHEMES_FOR[kind]
  if (!allowed.includes(scheme)) {
    return {
      ok: false,
      problem: `A ${kind} camera needs a ${allowed.join(' or ')} ${field}, not ${scheme}`,
    }
  }
  if (!parsed.hostname) return { ok: false, problem: `The ${field} has no host` }
  const out: CameraUrlCheck = { ok: true, url: raw }
  if (parsed.username || parsed.password) {
    out.username = decode(parsed.username)
    out.password = decode(parsed.password)
    parsed.username = ''
    parsed.password = ''
    out.url = parsed.toString()
  }
  return out
}

/** Query parameters that carry secrets in many cameras' URLs (e.g. `snapshot.cgi?user=admin&pwd=...`). */
const SECRET_PARAM = /^(pass(word|wd)?|pw|pwd|psw|secret|token|access_token|auth|key|api_?key|sig(nature)?)$/i
export const REDACTED = '***'

/**
 * The URL as the station answers it: secret-looking query values are replaced by `***`. A client that
 * sends the redacted URL back unchanged keeps the stored one (see `sameAsStored`).
 */
export function redactCameraUrl(url: string | null): string | null {
  if (url === null || !url.includes('?')) return url
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  let changed = false
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (SECRET_PARAM.test(name)) {
      parsed.searchParams.set(name, REDACTED)
      changed = true
    }
  }
  return changed ? parsed.toString() : url
}

/** True when `given` is what the station answered for `stored` (so nothing was changed). */
export function sameAsStored(given: string | null | undefined, stored: string | null): boolean {
  return given !== undefined && given !== null && stored !== null && given === redactCameraUrl(stored)
}

const DEFAULT_PORT: Readonly<Record<string, number>> = { 'https:': 443, 'rtsp:': 554, 'rtsps:': 322 }

/**
 * Whether a camera URL names this computer (localhost, 127.0.0.0/8, ::1, 0.0.0.0) or the station itself
 * (one of its addresses, on its port): what it is, or undefined. Admins may point cameras at any host on the LAN, but not, without
 * saying so, at the station itself or services listening only on this computer.
 */
export function localTarget(
  url: string,
  station: { port: number; isOwnHost: (host: string) => boolean },
): string | undefined {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return undefined
  }
  const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const defaultPort = DEFAULT_PORT[u.protocol] ?? 80
  const port = u.port ? Number(u.port) : defaultPort
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\./.test(host) ||
    host === '0.0.0.0' ||
    host === '::1' ||
    host === '::' ||
    /^::ffff:127\./.test(host)
  ) {
    return 'this computer'
  }
  if (station.port > 0 && port === station.port && station.isOwnHost(host)) {
    return `the station itself (port ${station.port})`
  }
  return undefined
}
