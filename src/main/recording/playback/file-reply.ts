/**
 * Sends a file as an answer with byte ranges (a <video> and MSE players seek with them), an ETag and
 * conditional requests; and resolves an index row's relative path inside its folder, never outside it.
 */
import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { StationError } from '../../server/errors'

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null

/**
 * One `bytes=` range of a file of `size` bytes (inclusive end), `null` to send it all (no header, several
 * ranges, another unit), or 'unsatisfiable' (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m) return header.trim().startsWith('bytes=') && !header.includes(',') ? 'unsatisfiable' : null
  const [, a, b] = m
  if (a === '' && b === '') return 'unsatisfiable'
  if (a === '') {
    const n = Number(b)
    if (n === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(a)
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}

/** `rel` under `root`, or undefined when it would leave it (absolute, `..`). */
export function inside(root: string, rel: string): string | undefined {
  const abs = path.resolve(root, rel)
  const back = path.relative(root, abs)
  return back && !back.startsWith('..') && !path.isAbsolute(back) ? abs : undefined
}

export interface FileAnswer {
  file: string
  size: number
  etag: string
  contentType: string
  cacheControl: string
  /** Content-Disposition: attachment with this name. */
  downloadName?: string
}

/** `filename` for old clients (ASCII) and `filename*` (RFC 5987) for everyone else. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export function sendFile(req: FastifyRequest, reply: FastifyReply, a: FileAnswer): FastifyReply {
  reply
    .header('content-type', a.contentType)
    .header('accept-ranges', 'bytes')
    .header('etag', a.etag)
    .header('cache-control', a.cacheControl)
  if (a.downloadName) reply.header('content-disposition', disposition(a.downloadName))
  const inm = req.headers['if-none-match']
  if (inm && inm.split(',').some((t) => t.trim() === a.etag)) return reply.code(304).send()
  const ifRange = req.headers['if-range']
  const range = ifRange && ifRange !== a.etag ? null : parseRange(req.headers.range, a.size)
  if (range === 'unsatisfiable') {
    throw new StationError(416, 'RANGE_NOT_SATISFIABLE', `The file has ${a.size} bytes`, {
      'content-range': `bytes */${a.size}`,
    })
  }
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${a.size}`)
      .header('content-length', String(range.end - range.start + 1))
    return reply.send(createReadStream(a.file, { start: range.start, end: range.end }))
  }
  reply.header('content-length', String(a.size))
  return reply.send(createReadStream(a.file))
}
