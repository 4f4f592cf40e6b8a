/** RTSP authentication: RFC 2617 Digest computation, and what the authenticator accepts and refuses. */
import { describe, expect, it } from 'vitest'
import { DigestSession, parseChallenges } from '../http-auth'
import { digestResponse, RtspAuthenticator } from './rtsp-auth'

const URI = 'rtsp://127.0.0.1:8554/cam1/main'
const creds = { username: 'viewer', password: 'pa:ss word' }

/** Answers the authenticator's challenge the way a client does (the station's own Digest code). */
function signed(auth: RtspAuthenticator, method: string, uri: string, c = creds): string {
  const first = auth.check(method, uri, undefined)
  if (first.ok) throw new Error('expected a challenge')
  return new DigestSession(parseChallenges(first.challenge)[0]!, c).authorization(method, uri)
}

describe('RTSP Digest authentication', () => {
  it('computes the RFC 2617 example response (qop=auth) and the RFC 2069 form', () => {
    const base = {
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    }
    expect(digestResponse({ ...base, qop: 'auth', nc: '00000001', cnonce: '0a4f113b' })).toBe(
      '6629fae49393a05397450978507c4ef1',
    )
    // Without qop: MD5(HA1:nonce:HA2).
    expect(digestResponse(base)).toBe('670fd8c2df070c60b045671b8b24ff02')
  })

  it('accepts the right credentials, with and without qop, and refuses wrong ones with a new challenge', () => {
    for (const qop of [false, true]) {
      const auth = new RtspAuthenticator({ scheme: 'digest', ...creds, qop })
      const challenge = auth.check('DESCRIBE', URI, undefined)
      expect(challenge.ok).toBe(false)
      if (!challenge.ok) {
        expect(challenge.challenge).toMatch(
          /^Digest realm="Guard Station simulator", nonce="[0-9a-f]+", algorithm=MD5/,
        )
        expect(challenge.challenge.includes('qop="auth"')).toBe(qop)
      }
      expect(auth.check('DESCRIBE', URI, signed(auth, 'DESCRIBE', URI))).toEqual({ ok: true })
      const wrong = signed(auth, 'DESCRIBE', URI, { ...creds, password: 'nope' })
      expect(auth.check('DESCRIBE', URI, wrong).ok).toBe(false)
      // Signed for another method or URI: refused.
      expect(auth.check('PLAY', URI, signed(auth, 'DESCRIBE', URI)).ok).toBe(false)
      expect(auth.check('DESCRIBE', `${URI}/trackID=0`, signed(auth, 'DESCRIBE', URI)).ok).toBe(false)
      // A nonce another server made: refused.
      const other = new RtspAuthenticator({ scheme: 'digest', ...creds, qop })
      expect(auth.check('DESCRIBE', URI, signed(other, 'DESCRIBE', URI)).ok).toBe(false)
    }
  })

  it('answers stale=TRUE for an expired nonce signed with the right password', () => {
    let now = 1_000_000
    const auth = new RtspAuthenticator({ scheme: 'digest', ...creds, nonceTtlMs: 60_000 }, () => now)
    const header = signed(auth, 'SETUP', URI)
    expect(auth.check('SETUP', URI, header).ok).toBe(true)
    now += 61_000
    const late = auth.check('SETUP', URI, header)
    expect(late.ok).toBe(false)
    if (!late.ok) expect(late.challenge).toMatch(/stale=TRUE/)
  })

  it('Basic: the exact user and password only; none: everything', () => {
    const auth = new RtspAuthenticator({ scheme: 'basic', ...creds })
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`
    expect(auth.check('PLAY', URI, basic(creds.username, creds.password))).toEqual({ ok: true })
    expect(auth.check('PLAY', URI, basic(creds.username, 'wrong'))).toEqual({
      ok: false,
      challenge: 'Basic realm="Guard Station simulator"',
    })
    expect(auth.check('PLAY', URI, undefined).ok).toBe(false)
    expect(new RtspAuthenticator().check('PLAY', URI, undefined)).toEqual({ ok: true })
    expect(() => new RtspAuthenticator({ scheme: 'digest' })).toThrow(/username and a password/)
  })
})
