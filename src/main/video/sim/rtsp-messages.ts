/**
 * RTSP 1.0 messages on one TCP connection (RFC 2326): requests (request line, headers, a body sized by
 * Content-Length) interleaved with binary `$` frames (channel, 16-bit length, data: RTCP from the client),
 * read incrementally with bounded sizes; and responses written with the headers every answer carries.
 */

export interface RtspRequest {
  method: string
  uri: string
  version: string
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Map<string, string>
  body: Buffer
}

export interface RtspResponse {
  status: number
  reason: string
  headers: Map<string, string>
  body: Buffer
}

export interface RtspReaderEvents {
  request(req: RtspRequest): void
  /** A response (a client reads these; the server skips the ones a client sends). */
  response?(res: RtspResponse): void
  interleaved(channel: number, data: Buffer): void
  /** The client sent something that cannot be RTSP; the connection should be closed. */
  error(message: string): void
}

export const MAX_HEAD_BYTES = 16 * 1024
export const MAX_BODY_BYTES = 64 * 1024

export class RtspReader {
  private buf: Buffer = Buffer.alloc(0)
  private failed = false

  constructor(private readonly on: RtspReaderEvents) {}

  push(chunk: Buffer): void {
    if (this.failed) return
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    let pos = 0
    while (pos < this.buf.length && !this.failed) {
      const used = this.buf[pos] === 0x24 ? this.frame(pos) : this.message(pos)
      if (used === 0) break
      pos += used
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos)
  }

  private fail(message: string): number {
    this.failed = true
    this.on.error(message)
    return 0
  }

  /** An interleaved frame at `pos`; answers the bytes used (0: incomplete). */
  private frame(pos: number): number {
    if (this.buf.length - pos < 4) return 0
    const len = this.buf.readUInt16BE(pos + 2)
    if (this.buf.length - pos < 4 + len) return 0
    this.on.interleaved(this.buf[pos + 1]!, this.buf.subarray(pos + 4, pos + 4 + len))
    return 4 + len
  }

  /** A request or a response at `pos`; answers the bytes used (0: incomplete). */
  private message(pos: number): number {
    // Blank lines between messages are allowed.
    if (this.buf[pos] === 0x0d || this.buf[pos] === 0x0a) return 1
    const end = this.buf.indexOf('\r\n\r\n', pos, 'latin1')
    if (end < 0) {
      return this.buf.length - pos > MAX_HEAD_BYTES ? this.fail('request head too large') : 0
    }
    if (end - pos > MAX_HEAD_BYTES) return this.fail('request head too large')
    const lines = this.buf.toString('utf8', pos, end).split('\r\n')
    const first = lines[0]!
    const status = /^RTSP\/\d\.\d (\d{3})(?: (.*))?$/.exec(first)
    const request = status ? undefined : first.split(' ')
    if (request && request.length !== 3) return this.fail(`not an RTSP request line: ${first.slice(0, 80)}`)
    const headers = new Map<string, string>()
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0) return this.fail(`bad header line: ${line.slice(0, 80)}`)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const length = Number(headers.get('content-length') ?? '0')
    if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) {
      return this.fail('bad Content-Length')
    }
    const bodyStart = end + 4
    if (this.buf.length < bodyStart + length) return 0
    const body = Buffer.from(this.buf.subarray(bodyStart, bodyStart + length))
    if (request) {
      const [method, uri, version] = request as [string, string, string]
      this.on.request({ method, uri, version, headers, body })
    } else {
      this.on.response?.({ status: Number(status![1]), reason: status![2] ?? '', headers, body })
    }
    return bodyStart + length - pos
  }
}

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
}

export const SERVER_NAME = 'GuardStation-Simulator/1.0'

/** A response with CSeq (when the request had one), Server, Date, the given headers and Content-Length. */
export function formatResponse(
  status: number,
  cseq: string | undefined,
  headers: Record<string, string | undefined> = {},
  body?: Buffer | string,
): Buffer {
  const content = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
  const lines = [`RTSP/1.0 ${status} ${STATUS_TEXT[status] ?? 'Unknown'}`]
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`)
  lines.push(`Server: ${SERVER_NAME}`, `Date: ${new Date().toUTCString()}`)
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) lines.push(`${name}: ${value}`)
  if (content) lines.push(`Content-Length: ${content.length}`)
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8')
  return content ? Buffer.concat([head, content]) : head
}
