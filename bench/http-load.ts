/**
 * A small closed-loop HTTP/1.1 load generator over N keep-alive connections (raw `net` sockets, pre-built
 * request bytes, a minimal response parser), so the client spends as little CPU as possible. Each
 * connection sends a request, waits for the whole response, records its latency, and sends the next.
 * Only responses to requests sent inside the measuring window (after the warm-up) are counted.
 */
import net from 'node:net'
import { LatencyHistogram } from '../src/main/metrics/histogram'

export interface HttpRequestSpec {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}

export interface HttpLoadSpec {
  host: string
  port: number
  /** Connection i sends requests[i % length], over and over. */
  requests: HttpRequestSpec[]
  connections: number
  durationMs: number
  warmupMs: number
  /**
   * Open loop: each connection sends this many requests a second on a fixed schedule instead of the next
   * one as soon as an answer arrives (a connection still waits for an answer before its next request).
   * Latency counts from the actual send, so the load generator's own timer lateness is not charged to
   * the server.
   */
  ratePerConnection?: number
}

export interface HttpLoadResult {
  /** 2xx responses per second in the measuring window. */
  rps: number
  ok: number
  statuses: Record<string, number>
  errors: number
  windowMs: number
  latencyCounts: number[]
  firstError?: string
}

function encode(spec: HttpRequestSpec, host: string): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body)
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive']
  for (const [k, v] of Object.entries(spec.headers ?? {})) lines.push(`${k}: ${v}`)
  if (body) lines.push('content-type: application/json', `content-length: ${body.length}`)
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')
  return body ? Buffer.concat([head, body]) : head
}

/** Parses consecutive HTTP/1.1 responses (Content-Length or chunked bodies). */
class ResponseParser {
  private buf: Buffer = Buffer.alloc(0)
  private status = 0
  private need: number | 'chunked' | undefined
  private close = false

  constructor(private readonly onResponse: (status: number, close: boolean) => void) {}

  feed(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    for (;;) {
      if (this.need === undefined) {
        const end = this.buf.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = this.buf.toString('latin1', 0, end)
        this.status = Number(head.slice(9, 12))
        const len = /\r\ncontent-length:\s*(\d+)/i.exec(head)
        this.close = /\r\nconnection:\s*close/i.test(head)
        this.need = len ? Number(len[1]) : /\r\ntransfer-encoding:\s*chunked/i.test(head) ? 'chunked' : 0
        this.buf = this.buf.subarray(end + 4)
      }
      if (this.need === 'chunked') {
        if (!this.skipChunks()) return
      } else {
        if (this.buf.length < this.need) return
        this.buf = this.buf.subarray(this.need)
      }
      this.need = undefined
      this.onResponse(this.status, this.close)
    }
  }

  /** Consumes whole chunks; true once the terminating chunk (and its CRLF) has been read. */
  private skipChunks(): boolean {
    for (;;) {
      const eol = this.buf.indexOf('\r\n')
      if (eol < 0) return false
      const size = parseInt(this.buf.toString('latin1', 0, eol), 16)
      if (size === 0) {
        if (this.buf.length < eol + 4) return false
        this.buf = this.buf.subarray(eol + 4)
        return true
      }
      if (this.buf.length < eol + 2 + size + 2) return false
      this.buf = this.buf.subarray(eol + 2 + size + 2)
    }
  }
}

export function runHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const payloads = spec.requests.map((r) => encode(r, `${spec.host}:${spec.port}`))
  const interval = spec.ratePerConnection ? BigInt(Math.round(1e9 / spec.ratePerConnection)) : 0n
  const hist = new LatencyHistogram()
  const statuses: Record<string, number> = {}
  let ok = 0
  let errors = 0
  let firstError: string | undefined
  const t0 = process.hrtime.bigint()
  const warmEnd = t0 + BigInt(spec.warmupMs) * 1_000_000n
  const end = warmEnd + BigInt(spec.durationMs) * 1_000_000n
  let running = spec.connections
  let finish: () => void = () => {}
  const done = new Promise<void>((r) => (finish = r))

  const connection = (payload: Buffer) => {
    let finished = false
    const stop = () => {
      if (finished) return
      finished = true
      if (--running === 0) finish()
    }
    const open = (): void => {
      if (process.hrtime.bigint() >= end) return stop()
      const socket = net.connect({ host: spec.host, port: spec.port, noDelay: true })
      let sentAt = 0n
      let closedByUs = false
      let errored = false
      // Open loop: a random phase per connection, so connections do not fire in lockstep.
      let scheduled = interval
        ? process.hrtime.bigint() + BigInt(Math.floor(Math.random() * Number(interval)))
        : 0n
      const send = () => {
        if (process.hrtime.bigint() >= end) {
          closedByUs = true
          socket.end()
          return stop()
        }
        sentAt = process.hrtime.bigint()
        socket.write(payload)
      }
      const next = () => {
        const now = process.hrtime.bigint()
        if (now >= end) {
          closedByUs = true
          socket.end()
          return stop()
        }
        if (!interval) {
          sentAt = now
          socket.write(payload)
          return
        }
        scheduled += interval
        const wait = Number(scheduled - now) / 1e6
        if (wait > 0) setTimeout(send, wait)
        else send()
      }
      const parser = new ResponseParser((status, close) => {
        const now = process.hrtime.bigint()
        if (sentAt >= warmEnd && now <= end) {
          statuses[status] = (statuses[status] ?? 0) + 1
          if (status >= 200 && status < 300) {
            ok++
            hist.record(Number(now - sentAt) / 1e6)
          }
        }
        if (close) {
          closedByUs = true
          socket.destroy()
          open()
        } else next()
      })
      socket.on('connect', next)
      socket.on('data', (c: Buffer) => parser.feed(c))
      socket.on('error', (err) => {
        errored = true
        errors++
        firstError ??= err.message
      })
      socket.on('close', () => {
        if (closedByUs) return
        if (!errored) {
          errors++
          firstError ??= 'connection closed by the server'
        }
        setTimeout(open, 20)
      })
    }
    open()
  }
  for (let i = 0; i < spec.connections; i++) connection(payloads[i % payloads.length]!)
  // Bounded: a stuck server must not hang the benchmark.
  const guard = setTimeout(finish, spec.warmupMs + spec.durationMs + 15_000)
  return done.then(() => {
    clearTimeout(guard)
    const windowMs = spec.durationMs
    return {
      rps: ok / (windowMs / 1000),
      ok,
      statuses,
      errors,
      windowMs,
      latencyCounts: hist.counts,
      firstError,
    }
  })
}
