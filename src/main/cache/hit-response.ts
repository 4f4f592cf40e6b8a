/**
 * Writes a stored answer onto a raw Node response: the stored bytes (or their compressed variant,
 * computed once per entry) with the headers the miss carried, plus this hit's own `X-Cache`,
 * `X-Cache-Age` and `X-Response-Time`. Used by both ways a hit is served: the HTTP server's hit lane
 * (before Fastify) and the route's onRequest hook (for `inject`, which never reaches the server).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { encode, negotiate } from './encoded-body'
import type { CachedResponse } from './response-cache'

/** Bodies below this many bytes are never compressed (the same threshold @fastify/compress uses here). */
export const COMPRESS_THRESHOLD = 1024

export function writeHit(
  res: ServerResponse,
  acceptEncoding: string | undefined,
  hit: CachedResponse,
  elapsedMs: number,
): void {
  const encoding = hit.encoded.identity.length >= COMPRESS_THRESHOLD ? negotiate(acceptEncoding) : undefined
  // A string body leaves in the same write as the head; a Buffer costs a second chunk.
  const body = encoding ? encode(hit.encoded, encoding) : hit.body
  const headers: OutgoingHttpHeaders = {
    'content-type': hit.contentType,
    'content-length': encoding ? body.length : hit.encoded.identity.length,
    'cache-control': hit.cacheControl,
    vary: 'accept-encoding',
    'x-cache': 'HIT',
    'x-cache-age': Math.floor((Date.now() - hit.storedAt) / 1000),
    'x-response-time': elapsedMs.toFixed(2),
  }
  if (encoding) headers['content-encoding'] = encoding
  res.writeHead(200, headers)
  res.end(body)
}
