/**
 * RTSP on one TCP connection, as both ends see it once RTP runs interleaved: text messages (requests and
 * responses, each with an optional Content-Length body) mixed with binary frames ('$', channel, 16-bit
 * length, payload; RFC 2326 section 10.12). `RtspFramer` splits such a byte stream; interleaved payloads
 * are handed out as views of the input chunks, never copied or gathered.
 */

export interface RtspMessage {
  /** `DESCRIBE rtsp://... RTSP/1.0` or `RTSP/1.0 200 OK`. */
  startLine: string
  headers: [string, string][]
  body: Buffer
}

export interface RtspRequest extends RtspMessage {
  method: string
  uri: string
}

export function isResponse(msg: RtspMessage): boolean {
  return msg.startLine.startsWith('RTSP/')
}

/** Method and URI of a request (undefined for a response). */
export function requestLine(msg: RtspMessage): { method: string; uri: string; version: string } | undefined {
  const m = /^([A-Z_]+) (\S+) (RTSP\/\d\.\d)$/.exec(msg.startLine)
  return m ? { method: m[1]!, uri: m[2]!, version: m[3]! } : undefined
}

export function statusOf(msg: RtspMessage): number | undefined {
  const m = /^RTSP\/\d\.\d (\d{3})/.exec(msg.startLine)
  return m ? Number(m[1]) : undefined
}

export function getHeader(msg: RtspMessage, name: string): string | undefined {
  const lower = name.toLowerCase()
  return msg.headers.find(([n]) => n.toLowerCase() === lower)?.[1]
}

export function getHeaders(msg: RtspMessage, name: string): string[] {
  const lower = name.toLowerCase()
  return msg.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v)
}

/** Replaces every header of that name by one (at the first one's place), or adds it. */
export function setHeader(msg: RtspMessage, name: string, value: string): void {
  const lower = name.toLowerCase()
  const at = msg.headers.findIndex(([n]) => n.toLowerCase() === lower)
  removeHeader(msg, name)
  msg.headers.splice(at < 0 ? msg.headers.length : at, 0, [name, value])
}

export function removeHeader(msg: RtspMessage, name: string): void {
  const lower = name.toLowerCase()
  msg.headers = msg.headers.filter(([n]) => n.toLowerCase() !== lower)
}

/** The message as bytes (headers as given: a body keeps its Content-Length). */
export function serialize(msg: RtspMessage): Buffer {
  const head = [msg.startLine, ...msg.headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n')
  const h = Buffer.from(head, 'utf8')
  return msg.body.length ? Buffer.concat([h, msg.body]) : h
}

export interface RtspFramerHandlers {
  message(msg: RtspMessage): void
  /** An interleaved frame begins: its 4-byte header (a view), channel and payload length. */
  interleavedStart(header: Buffer, channel: number, length: number): void
  /** Payload bytes of the current interleaved frame, in order (views of the input). */
  interleavedData(data: Buffer): void
  /** Not RTSP: the connection should be closed. Nothing more is handed out. */
  error(message: string): void
}

export interface RtspFramerLimits {
  maxHeaderBytes?: number
  maxBodyBytes?: number
}

const CRLFCRLF = Buffer.from('\r\n\r\n')
const LFLF = Buffer.from('\n\n')

export class RtspFramer {
  private pending: Buffer = Buffer.alloc(0)
  private payloadLeft = 0
  private failed = false
  private readonly maxHeader: number
  private readonly maxBody: number

  constructor(
    private readonly on: RtspFramerHandlers,
    limits: RtspFramerLimits = {},
  ) {
    this.maxHeader = limits.maxHeaderBytes ?? 16 * 1024
    this.maxBody = limits.maxBodyBytes ?? 1024 * 1024
  }

  push(chunk: Buffer): void {
    let data = chunk
    while (data.length > 0 && !this.failed) {
      if (this.payloadLeft > 0) {
        const n = Math.min(this.payloadLeft, data.length)
        this.payloadLeft -= n
        this.on.interleavedData(data.subarray(0, n))
        data = data.subarray(n)
        continue
      }
      if (this.pending.length === 0 && data[0] === 0x24 && data.length >= 4) {
        // The common case while streaming: a frame header right at hand, no buffering.
        data = this.startFrame(data)
        continue
      }
      if (this.pending[0] === 0x24) {
        // A frame header split over chunks: complete it, without copying the chunk behind it.
        const need = 4 - this.pending.length
        const head = Buffer.concat([this.pending, data.subarray(0, need)])
        data = data.subarray(need)
        this.pending = head.length < 4 ? head : Buffer.alloc(0)
        if (head.length === 4) this.startFrame(head)
        continue
      }
      this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data
      data = this.parsePending()
    }
  }

  /** Parses what is buffered; answers the bytes to go on with (the start of an interleaved payload). */
  private parsePending(): Buffer {
    for (;;) {
      let p = this.pending
      let skip = 0
      // Some servers put stray CR/LF between messages.
      while (skip < p.length && (p[skip] === 0x0d || p[skip] === 0x0a)) skip++
      if (skip) p = this.pending = p.subarray(skip)
      if (p.length === 0) return p
      if (p[0] === 0x24) {
        if (p.length < 4) return Buffer.alloc(0)
        this.pending = Buffer.alloc(0)
        return this.startFrame(p)
      }
      if (!isTokenChar(p[0]!))
        return this.fail(`not RTSP: byte 0x${p[0]!.toString(16)} where a message starts`)
      let end = p.indexOf(CRLFCRLF)
      let sep = 4
      const lf = p.indexOf(LFLF)
      if (lf >= 0 && (end < 0 || lf < end)) {
        end = lf
        sep = 2
      }
      if (end < 0) {
        if (p.length > this.maxHeader) return this.fail(`RTSP headers over ${this.maxHeader} bytes`)
        return Buffer.alloc(0)
      }
      if (end > this.maxHeader) return this.fail(`RTSP headers over ${this.maxHeader} bytes`)
      const lines = p.toString('utf8', 0, end).split(/\r?\n/)
      const startLine = lines.shift()!.trim()
      if (!/^RTSP\/\d\.\d \d{3}/.test(startLine) && !/^[A-Z_]+ \S+ RTSP\/\d\.\d$/.test(startLine)) {
        return this.fail(`not RTSP: "${startLine.slice(0, 60)}"`)
      }
      const headers: [string, string][] = []
      for (const line of lines) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
      }
      const cl = headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1]
      const length = cl === undefined ? 0 : Number(cl)
      if (!Number.isInteger(length) || length < 0) return this.fail(`bad Content-Length "${cl}"`)
      if (length > this.maxBody) return this.fail(`RTSP body of ${length} bytes is over ${this.maxBody}`)
      const bodyAt = end + sep
      if (p.length < bodyAt + length) return Buffer.alloc(0)
      // Copied: text messages are rare, and a small body should not keep a whole input chunk alive.
      const body = Buffer.from(p.subarray(bodyAt, bodyAt + length))
      this.pending = p.subarray(bodyAt + length)
      this.on.message({ startLine, headers, body })
      if (this.failed) return Buffer.alloc(0)
    }
  }

  private startFrame(data: Buffer): Buffer {
    const length = data.readUInt16BE(2)
    this.payloadLeft = length
    this.on.interleavedStart(data.subarray(0, 4), data[1]!, length)
    return data.subarray(4)
  }

  private fail(message: string): Buffer {
    this.failed = true
    this.pending = Buffer.alloc(0)
    this.on.error(message)
    return Buffer.alloc(0)
  }
}

function isTokenChar(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f
}

/** Gathers interleaved frames whole (for tests and stubs; the proxy passes them through instead). */
export function frameCollector(onFrame: (channel: number, payload: Buffer) => void) {
  let channel = 0
  let parts: Buffer[] = []
  let left = 0
  return {
    interleavedStart(_header: Buffer, ch: number, length: number) {
      channel = ch
      parts = []
      left = length
      if (length === 0) onFrame(ch, Buffer.alloc(0))
    },
    interleavedData(data: Buffer) {
      parts.push(Buffer.from(data))
      left -= data.length
      if (left === 0) onFrame(channel, Buffer.concat(parts))
    },
  }
}
