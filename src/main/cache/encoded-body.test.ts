import { describe, expect, it } from 'vitest'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { encode, negotiate } from './encoded-body'

describe('negotiate', () => {
  it('prefers br, then gzip, and honours q=0', () => {
    expect(negotiate(undefined)).toBeUndefined()
    expect(negotiate('identity')).toBeUndefined()
    expect(negotiate('gzip, deflate, br')).toBe('br')
    expect(negotiate('gzip')).toBe('gzip')
    expect(negotiate('br;q=0, gzip;q=0.5')).toBe('gzip')
    expect(negotiate('gzip;q=0')).toBeUndefined()
    expect(negotiate('*')).toBe('gzip')
  })
})

describe('encode', () => {
  it('compresses once per entry and keeps the variant', () => {
    const bodies = { identity: Buffer.from('{"a":"' + 'x'.repeat(4000) + '"}') }
    const br = encode(bodies, 'br')
    expect(encode(bodies, 'br')).toBe(br)
    expect(brotliDecompressSync(br).equals(bodies.identity)).toBe(true)
    expect(gunzipSync(encode(bodies, 'gzip')).equals(bodies.identity)).toBe(true)
    expect(br.length).toBeLessThan(bodies.identity.length)
  })
})
