/**
 * What an audit entry may hold of a value: secrets never. Rules pass the domain's own safe views (the
 * camera admin view masks URL secrets and says only `hasCredentials`; users carry no password hash); this
 * is the second line: any field whose name says it is a secret and holds a value is replaced, and URLs
 * go through the camera views' masking (secret-looking query values, user:password@).
 */
import { REDACTED, redactCameraUrl } from '../cameras/camera-url'

export { REDACTED }
const SECRET_KEY = /pass(word)?|secret|token|credential|api.?key|device.?key|site.?key|private/i
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i
const MAX_DEPTH = 6

function redactUrl(s: string): string {
  const masked = redactCameraUrl(s) ?? s
  return masked.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, `$1${REDACTED}@`)
}

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null
  if (typeof value === 'string') return URL_LIKE.test(value) ? redactUrl(value) : value
  if (typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[…]'
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    // Booleans say whether a secret exists (hasCredentials): they are no secret.
    out[k] =
      SECRET_KEY.test(k) && v !== null && typeof v !== 'boolean' ? REDACTED : redactSecrets(v, depth + 1)
  }
  return out
}
