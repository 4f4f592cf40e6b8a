/**
 * HTTP authentication toward cameras: Basic and Digest (RFC 7616: MD5, MD5-sess, SHA-256, SHA-256-sess;
 * qop "auth" or none). Credentials stay on the station: they only ever go into Authorization headers
 * sent to the camera's own URL.
 */
import { createHash, randomBytes } from 'node:crypto'

export interface Credentials {
  username: string
  password: string
}

export interface Challenge {
  scheme: 'basic' | 'digest'
  params: Record<string, string>
}

/** Splits `Digest realm="a, b", nonce="x", Basic realm="y"` into challenges (quoted commas respected). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = Array.isArray(header) ? header : header ? [header] : []
  const out: Challenge[] = []
  for (const value of values) {
    let current: Challenge | undefined
    let i = 0
    const n = value.length
    const skip = (chars: string) => {
      while (i < n && chars.includes(value[i]!)) i++
    }
    while (i < n) {
      skip(' \t,')
      const start = i
      while (i < n && /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(value[i]!)) i++
      const name = value.slice(start, i)
      if (!name) {
        i++ // a character no grammar allows here: step over it
        continue
      }
      skip(' \t')
      if (value[i] !== '=') {
        const scheme = name.toLowerCase()
        current = scheme === 'basic' || scheme === 'digest' ? { scheme, params: {} } : undefined
        if (current) out.push(current)
        continue
      }
      i++
      skip(' \t')
      let v = ''
      if (value[i] === '"') {
        i++
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++
          v += value[i]
          i++
        }
        i++
      } else {
        const vs = i
        while (i < n && value[i] !== ',' && value[i] !== ' ' && value[i] !== '\t') i++
        v = value.slice(vs, i)
      }
      if (current) current.params[name.toLowerCase()] = v
    }
  }
  return out
}

/** The strongest challenge the station can answer: Digest (SHA-256 first) before Basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  const digest = challenges.filter((c) => c.scheme === 'digest' && digestHash(c) !== undefined)
  const sha = digest.find((c) => (c.params.algorithm ?? '').toUpperCase().startsWith('SHA-256'))
  return sha ?? digest[0] ?? challenges.find((c) => c.scheme === 'basic')
}

function digestHash(c: Challenge): 'md5' | 'sha256' | undefined {
  const alg = (c.params.algorithm ?? 'MD5').toUpperCase()
  if (alg === 'MD5' || alg === 'MD5-SESS') return 'md5'
  if (alg === 'SHA-256' || alg === 'SHA-256-SESS') return 'sha256'
  return undefined
}

export function basicAuthorization(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`
}

/**
 * Answers Digest challenges for one camera; counts nonce uses (nc) so a keep-alive connection can reuse
 * the nonce, as the RFC intends.
 */
export class DigestSession {
  private nc = 0

  constructor(
    private readonly challenge: Challenge,
    private readonly creds: Credentials,
    private readonly cnonce: () => string = () => randomBytes(12).toString('hex'),
  ) {}

  authorization(method: string, uri: string): string {
    const p = this.challenge.params
    const alg = digestHash(this.challenge) ?? 'md5'
    const h = (s: string) => createHash(alg).update(s, 'utf8').digest('hex')
    const realm = p.realm ?? ''
    const nonce = p.nonce ?? ''
    const qops = (p.qop ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter(Boolean)
    const qop = qops.includes('auth') ? 'auth' : undefined
    const cnonce = this.cnonce()
    const nc = (++this.nc).toString(16).padStart(8, '0')
    let ha1 = h(`${this.creds.username}:${realm}:${this.creds.password}`)
    if ((p.algorithm ?? '').toLowerCase().endsWith('-sess')) ha1 = h(`${ha1}:${nonce}:${cnonce}`)
    const ha2 = h(`${method}:${uri}`)
    const response = qop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`)
    const q = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`
    const parts = [
      `username=${q(this.creds.username)}`,
      `realm=${q(realm)}`,
      `nonce=${q(nonce)}`,
      `uri=${q(uri)}`,
      `response=${q(response)}`,
    ]
    if (p.algorithm) parts.push(`algorithm=${p.algorithm}`)
    if (p.opaque !== undefined) parts.push(`opaque=${q(p.opaque)}`)
    if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${q(cnonce)}`)
    return `Digest ${parts.join(', ')}`
  }
}
