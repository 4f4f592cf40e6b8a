/**
 * RTSP authentication as IP cameras do it: none, Basic, or Digest (RFC 2617, MD5; with or without qop=auth,
 * whatever the client answers). Nonces are stateless: a timestamp and an HMAC of it, so any nonce this
 * server issued is recognised until it expires (then the client is told `stale=true` and signs again).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { parseChallenges } from '../http-auth'

export type RtspAuthScheme = 'none' | 'basic' | 'digest'

export interface RtspAuthOptions {
  scheme: RtspAuthScheme
  username?: string
  password?: string
  /** Default "Guard Station simulator". */
  realm?: string
  /** Offer qop="auth" in the Digest challenge (default false: most cameras do not). */
  qop?: boolean
  /** How long a Digest nonce is accepted (default one hour). */
  nonceTtlMs?: number
}

export interface DigestParams {
  username: string
  realm: string
  password: string
  method: string
  uri: string
  nonce: string
  /** With qop (RFC 2617 3.2.2.1); without, the RFC 2069 form. */
  qop?: string
  nc?: string
  cnonce?: string
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')

/** The `response` value of a Digest Authorization header (MD5). */
export function digestResponse(p: DigestParams): string {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`)
  const ha2 = md5(`${p.method}:${p.uri}`)
  return p.qop
    ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`)
    : md5(`${ha1}:${p.nonce}:${ha2}`)
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export type AuthResult = { ok: true } | { ok: false; challenge: string }

export class RtspAuthenticator {
  readonly scheme: RtspAuthScheme
  private readonly realm: string
  private readonly secret = randomBytes(16)
  private readonly ttlMs: number

  constructor(
    private readonly opts: RtspAuthOptions = { scheme: 'none' },
    private readonly now: () => number = Date.now,
  ) {
    this.scheme = opts.scheme
    this.realm = opts.realm ?? 'Guard Station simulator'
    this.ttlMs = opts.nonceTtlMs ?? 3_600_000
    if (this.scheme !== 'none' && (!opts.username || opts.password === undefined)) {
      throw new Error(`RTSP ${this.scheme} authentication needs a username and a password`)
    }
  }

  /** Checks a request's Authorization header against the configured scheme. */
  check(method: string, uri: string, authorization: string | undefined): AuthResult {
    if (this.scheme === 'none') return { ok: true }
    if (this.scheme === 'basic') {
      const expected = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`, 'utf8').toString('base64')}`
      return authorization !== undefined && sameText(authorization.trim(), expected)
        ? { ok: true }
        : { ok: false, challenge: `Basic realm="${this.realm}"` }
    }
    return this.checkDigest(method, uri, authorization)
  }

  /** A fresh nonce: issue time (hex) and its HMAC. */
  nonce(at = this.now()): string {
    const ts = Math.floor(at).toString(16)
    return ts + createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 32)
  }

  private digestChallenge(stale: boolean): string {
    const parts = [`realm="${this.realm}"`, `nonce="${this.nonce()}"`, 'algorithm=MD5']
    if (this.opts.qop) parts.push('qop="auth"')
    if (stale) parts.push('stale=TRUE')
    return `Digest ${parts.join(', ')}`
  }

  private nonceState(nonce: string): 'valid' | 'stale' | 'unknown' {
    const ts = nonce.slice(0, -32)
    if (!/^[0-9a-f]{1,13}$/.test(ts)) return 'unknown'
    const mac = createHmac('sha256', this.secret).update(ts).digest('hex').slice(0, 32)
    if (!sameText(nonce.slice(-32), mac)) return 'unknown'
    return this.now() - parseInt(ts, 16) > this.ttlMs ? 'stale' : 'valid'
  }

  private checkDigest(method: string, uri: string, authorization: string | undefined): AuthResult {
    const c = parseChallenges(authorization)[0]
    const refuse = (stale = false): AuthResult => ({ ok: false, challenge: this.digestChallenge(stale) })
    if (c?.scheme !== 'digest') return refuse()
    const p = c.params
    if (!p.username || !p.nonce || !p.response || p.uri === undefined) return refuse()
    if ((p.algorithm ?? 'MD5').toUpperCase() !== 'MD5') return refuse()
    if (p.realm !== this.realm || p.uri !== uri) return refuse()
    const state = this.nonceState(p.nonce)
    if (state === 'unknown') return refuse()
    if (p.qop !== undefined && p.qop.toLowerCase() !== 'auth') return refuse()
    const expected = digestResponse({
      username: this.opts.username!,
      realm: this.realm,
      password: this.opts.password!,
      method,
      uri,
      nonce: p.nonce,
      ...(p.qop ? { qop: p.qop, nc: p.nc ?? '', cnonce: p.cnonce ?? '' } : {}),
    })
    if (p.username !== this.opts.username || !sameText(p.response.toLowerCase(), expected)) return refuse()
    // Right credentials on an expired nonce: the client signs again with the new one, without asking anyone.
    if (state === 'stale') return refuse(true)
    return { ok: true }
  }
}
