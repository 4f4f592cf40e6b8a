import { describe, expect, it } from 'vitest'
import { DigestSession, basicAuthorization, parseChallenges, pickChallenge } from './http-auth'
import { Backoff } from './backoff'

describe('parseChallenges', () => {
  it('splits several challenges, respecting quoted commas', () => {
    const c = parseChallenges([
      'Digest realm="a, b", qop="auth,auth-int", nonce="n1", algorithm=SHA-256, Digest realm="x", nonce="n2"',
      'Basic realm="cam"',
    ])
    expect(c).toEqual([
      {
        scheme: 'digest',
        params: { realm: 'a, b', qop: 'auth,auth-int', nonce: 'n1', algorithm: 'SHA-256' },
      },
      { scheme: 'digest', params: { realm: 'x', nonce: 'n2' } },
      { scheme: 'basic', params: { realm: 'cam' } },
    ])
    expect(pickChallenge(c)?.params.algorithm).toBe('SHA-256')
    expect(pickChallenge(parseChallenges('Negotiate abc, Basic realm="x"'))?.scheme).toBe('basic')
    expect(pickChallenge(parseChallenges('Digest realm="x", algorithm=SHA-512-256'))).toBeUndefined()
  })
})

describe('Digest (RFC 7616 section 3.9.1 example)', () => {
  const creds = { username: 'Mufasa', password: 'Circle of Life' }
  const params = {
    realm: 'http-auth@example.org',
    qop: 'auth, auth-int',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  }
  const cnonce = () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ'

  it('answers MD5', () => {
    const d = new DigestSession({ scheme: 'digest', params: { ...params, algorithm: 'MD5' } }, creds, cnonce)
    const h = d.authorization('GET', '/dir/index.html')
    expect(h).toContain('response="8ca523f5e9506fed4657c9700eebdbec"')
    expect(h).toContain('nc=00000001')
    expect(h).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"')
    expect(d.authorization('GET', '/dir/index.html')).toContain('nc=00000002')
  })

  it('answers SHA-256', () => {
    const d = new DigestSession(
      { scheme: 'digest', params: { ...params, algorithm: 'SHA-256' } },
      creds,
      cnonce,
    )
    expect(d.authorization('GET', '/dir/index.html')).toContain(
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    )
  })

  it('builds Basic', () => {
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    )
  })
})

describe('Backoff', () => {
  it('doubles up to the cap, with jitter between 50% and 100%, and resets', () => {
    const hi = new Backoff(100, 1000, () => 0.999999)
    expect([1, 2, 3, 4, 5, 6].map(() => hi.next())).toEqual([100, 200, 400, 800, 1000, 1000])
    const lo = new Backoff(100, 1000, () => 0)
    expect([1, 2, 3, 4, 5].map(() => lo.next())).toEqual([50, 100, 200, 400, 500])
    lo.reset()
    expect(lo.next()).toBe(50)
    const r = new Backoff(1000, 30_000)
    for (let i = 0; i < 50; i++) {
      const d = r.next()
      expect(d).toBeGreaterThanOrEqual(500)
      expect(d).toBeLessThanOrEqual(30_000)
    }
  })
})
