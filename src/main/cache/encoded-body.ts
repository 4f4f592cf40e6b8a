/**
 * Compressed variants of a cached body, computed once per entry (not once per hit) and kept with it.
 * Negotiation follows Accept-Encoding, honouring `q=0`; br is preferred, then gzip.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export type Encoding = 'br' | 'gzip'

export interface EncodedBodies {
  identity: Buffer
  br?: Buffer
  gzip?: Buffer
}

/** The encoding to answer with, or undefined for identity. */
export function negotiate(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined
  let br = false
  let gzip = false
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const refused = params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))
    if (refused) continue
    if (name === 'br') br = true
    else if (name === 'gzip' || name === '*') gzip = true
  }
  return br ? 'br' : gzip ? 'gzip' : undefined
}

export function encode(bodies: EncodedBodies, encoding: Encoding): Buffer {
  const existing = bodies[encoding]
  if (existing) return existing
  const out =
    encoding === 'br'
      ? brotliCompressSync(bodies.identity, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: bodies.identity.length,
          },
        })
      : gzipSync(bodies.identity, { level: 6 })
  bodies[encoding] = out
  return out
}
