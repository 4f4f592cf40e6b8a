/**
 * Keeps camera credentials off ffmpeg's command line (which every local user can read in
 * /proc/<pid>/cmdline or `ps`): ffmpeg 5.1 cannot read its input URL from a file, so it connects, without
 * credentials, to this loopback RTSP proxy, and the proxy talks to the camera and answers its challenges.
 *
 * - One proxy per camera listens on 127.0.0.1, on an ephemeral port. Each ffmpeg run takes a lease: a URL
 *   `rtsp://127.0.0.1:<port>/<token>` with an unguessable token (144 random bits) standing for the camera
 *   URL (its path and query stay out of the command line: some cameras take credentials there). A
 *   connection whose first request does not name a live lease is refused (403) and closed; a lease serves
 *   one connection at a time and stops working when released (when its ffmpeg has exited).
 * - Per ffmpeg connection, one connection to the camera. Requests are rewritten: URI (proxy prefix → the
 *   camera's URL, without userinfo), CSeq (the proxy numbers its own requests, so a retried request gets a
 *   fresh one; responses get ffmpeg's back) and Authorization. A 401 is answered by retrying the request
 *   with Basic or Digest (MD5 or SHA-256, qop=auth with nc counting, via http-auth.ts); every later request
 *   (GET_PARAMETER keep-alives too) carries Authorization. A retried request that gets 401 again means
 *   the camera refused the credentials: the lease records `auth-failed` and ffmpeg gets the 401.
 * - After PLAY, RTP and RTCP run interleaved on the same connections in both directions: frames are
 *   passed through as views of the received chunks (no copy, no gathering), with backpressure.
 * - When either side closes, both are closed.
 *
 * What remains visible to other local users: the proxy's port and the lease token, in ffmpeg's command
 * line, for as long as that ffmpeg runs. With them, someone can connect only while ffmpeg is not connected
 * (before it connects, which then makes ffmpeg's run fail with `auth-failed`/busy recorded on the lease, or
 * between a UDP attempt and its TCP retry) and gets the camera's video, never the credentials. Once the run
 * ends and the lease is released, the token opens nothing.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import {
  DigestSession,
  basicAuthorization,
  parseChallenges,
  pickChallenge,
  type Challenge,
  type Credentials,
} from '../http-auth'
import {
  RtspFramer,
  getHeader,
  getHeaders,
  isResponse,
  removeHeader,
  requestLine,
  serialize,
  setHeader,
  statusOf,
  type RtspMessage,
} from './rtsp-message'
import type { FfmpegExit, FfmpegExitReason } from './ffmpeg-process'
import { classifyStderrLine, worse, type FfmpegProblem } from './stderr-reasons'

export interface RtspAuthProxyOptions {
  /** The camera's rtsp:// URL. Credentials in it are taken out (and used) unless given below. */
  cameraUrl: string
  username?: string
  password?: string
  connectTimeoutMs?: number
  /** A connection that sends no valid first request within this is dropped. */
  firstRequestTimeoutMs?: number
  /** Connections open at once, over all leases. */
  maxConnections?: number
  /** Refused connections and authentication failures (never with secrets). */
  log?: (message: string) => void
}

export interface ProxyLease {
  /** What ffmpeg gets as its input: no credentials in it. */
  readonly url: string
  /** The most telling failure the proxy saw for this lease (unreachable camera, refused credentials...). */
  readonly failure: FfmpegProblem | null
  /** Connections made with this lease so far. */
  readonly connections: number
  /** Ends the lease: its URL opens nothing any more, and its open connection is closed. */
  release(): void
}

export interface RtspAuthProxyStats {
  leases: number
  openConnections: number
  refusedConnections: number
  bytesToCamera: number
  bytesFromCamera: number
  interleavedFramesFromCamera: number
}

interface CameraTarget {
  host: string
  port: number
  /** The camera URL without userinfo: what the lease URL stands for. */
  base: string
  hasCredentials: boolean
  /**
   * Authorization for requests after this challenge. The credentials live in this closure only: no
   * property of the proxy, a lease or a session holds them, so logging one of those objects shows none.
   */
  answer(challenge: Challenge): (method: string, uri: string) => string
}

/** What the proxy shares with its sessions. */
interface ProxyContext {
  target: CameraTarget
  connectTimeoutMs: number
  firstRequestTimeoutMs: number
  counters: { refused: number; bytesToCamera: number; bytesFromCamera: number; framesFromCamera: number }
  leaseFor(uri: string): Lease | undefined
  forget(session: ProxySession): void
  log(message: string): void
}

/**
 * Why an ffmpeg run through a lease ended, for the guard: the proxy's finding first (it saw the camera's
 * answers, and connections ffmpeg never knew about), else ffmpeg's own explanation.
 */
export function explainRun(
  exit: FfmpegExit,
  lease: ProxyLease,
): { reason: FfmpegExitReason; message: string } {
  const why = lease.failure ?? exit
  return { reason: why.reason, message: why.message }
}

class Lease implements ProxyLease {
  failure: FfmpegProblem | null = null
  connections = 0
  active: ProxySession | undefined
  released = false

  constructor(
    readonly token: string,
    readonly url: string,
    private readonly onRelease: (lease: Lease) => void,
  ) {}

  fail(problem: FfmpegProblem): void {
    this.failure = worse(this.failure, problem)
  }

  release(): void {
    if (this.released) return
    this.released = true
    this.active?.close()
    this.onRelease(this)
  }
}

export class RtspAuthProxy {
  private readonly leases = new Map<string, Lease>()
  private readonly sessions = new Set<ProxySession>()
  private readonly context: ProxyContext

  private constructor(
    private readonly server: net.Server,
    target: CameraTarget,
    options: RtspAuthProxyOptions,
  ) {
    this.context = {
      target,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      firstRequestTimeoutMs: options.firstRequestTimeoutMs ?? 10_000,
      counters: { refused: 0, bytesToCamera: 0, bytesFromCamera: 0, framesFromCamera: 0 },
      leaseFor: (uri) => {
        const token = tokenOf(uri)
        return token === undefined ? undefined : this.leases.get(token)
      },
      forget: (session) => this.sessions.delete(session),
      log: (message) => options.log?.(message),
    }
    server.on('connection', (socket) => this.sessions.add(new ProxySession(this.context, socket)))
  }

  /** Listens on 127.0.0.1 (ephemeral port). Throws on a URL that is not rtsp://. */
  static async start(options: RtspAuthProxyOptions): Promise<RtspAuthProxy> {
    const target = parseCameraUrl(options)
    const server = net.createServer()
    server.maxConnections = options.maxConnections ?? 8
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    return new RtspAuthProxy(server, target, options)
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port
  }

  /** A new lease for one ffmpeg run. */
  lease(): ProxyLease {
    const token = randomBytes(18).toString('base64url')
    // Only the token: the camera's path and query (some cameras take credentials there) stay out of it.
    const slash = this.context.target.base.endsWith('/') ? '/' : ''
    const lease = new Lease(token, `rtsp://127.0.0.1:${this.port}/${token}${slash}`, (l) =>
      this.leases.delete(l.token),
    )
    this.leases.set(token, lease)
    return lease
  }

  stats(): RtspAuthProxyStats {
    const counters = this.context.counters
    return {
      leases: this.leases.size,
      openConnections: this.sessions.size,
      refusedConnections: counters.refused,
      bytesToCamera: counters.bytesToCamera,
      bytesFromCamera: counters.bytesFromCamera,
      interleavedFramesFromCamera: counters.framesFromCamera,
    }
  }

  /** Stops listening, ends every lease and closes every connection. */
  async close(): Promise<void> {
    for (const lease of [...this.leases.values()]) lease.release()
    for (const s of [...this.sessions]) s.close()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

function parseCameraUrl(options: RtspAuthProxyOptions): CameraTarget {
  let url: URL
  try {
    url = new URL(options.cameraUrl)
  } catch {
    throw new Error('the camera URL is not a valid URL')
  }
  if (url.protocol !== 'rtsp:') throw new Error('the camera URL must start with rtsp://')
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }
  const username = options.username ?? (url.username ? decode(url.username) : undefined)
  const password = options.password ?? (url.password ? decode(url.password) : undefined)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (!host) throw new Error('the camera URL has no host')
  return {
    host,
    port: url.port ? Number(url.port) : 554,
    base: `rtsp://${url.host}${url.pathname || '/'}${url.search}`,
    hasCredentials: username !== undefined || password !== undefined,
    answer: (challenge) => {
      const creds: Credentials = { username: username ?? '', password: password ?? '' }
      if (challenge.scheme === 'basic') {
        const header = basicAuthorization(creds)
        return () => header
      }
      const digest = new DigestSession(challenge, creds)
      return (method, uri) => digest.authorization(method, uri)
    },
  }
}

/** The first path segment of an absolute rtsp:// URI. */
function tokenOf(uri: string): string | undefined {
  const m = /^rtsps?:\/\/[^/?#]*\/([^/?#]*)/i.exec(uri)
  return m?.[1] || undefined
}

interface Pending {
  clientCSeq: string | undefined
  method: string
  uri: string
  message: RtspMessage
  retried: boolean
}

/** A telling reason phrase: ffmpeg prints it ("method OPTIONS failed: 503 Connection refused"). */
function failureFrom(
  err: NodeJS.ErrnoException | Error,
  timeout = false,
): { problem: FfmpegProblem; phrase: string } {
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const phrase = timeout
    ? 'Connection timed out'
    : code === 'ECONNREFUSED'
      ? 'Connection refused'
      : ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(code)
        ? 'No route to host'
        : ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'].includes(code)
          ? 'Failed to resolve hostname'
          : code === 'ETIMEDOUT'
            ? 'Connection timed out'
            : code === 'ECONNRESET' || code === 'EPIPE'
              ? 'Connection reset by peer'
              : `Camera connection failed (${code || err.message})`
  const problem = classifyStderrLine(`[error] ${phrase}`) ?? {
    reason: 'other',
    message: `Camera connection failed (${code || 'error'})`,
    detail: phrase,
    fatal: true,
  }
  return { problem, phrase }
}

class ProxySession {
  private readonly clientFramer: RtspFramer
  private upstream: net.Socket | undefined
  private upstreamFramer: RtspFramer | undefined
  private lease: Lease | undefined
  private auth: ((method: string, uri: string) => string) | undefined
  private readonly pending = new Map<number, Pending>()
  private seq = 0
  private closed = false
  /** A last message is on its way to ffmpeg: the camera side is already closed. */
  private ending = false
  private teardown = false
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly ctx: ProxyContext,
    private readonly client: net.Socket,
  ) {
    client.setNoDelay(true)
    this.clientFramer = new RtspFramer({
      message: (m) => this.fromClient(m),
      interleavedStart: (header) => this.toCamera(header),
      interleavedData: (data) => this.toCamera(data),
      error: (why) => {
        this.ctx.log(`RTSP proxy: closing a client connection: ${why}`)
        this.close()
      },
    })
    client.on('data', (chunk: Buffer) => this.clientFramer.push(chunk))
    client.on('error', () => this.close())
    client.on('close', () => this.close())
    this.timer = setTimeout(() => this.refuse('no request in time'), ctx.firstRequestTimeoutMs)
    this.timer.unref()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.timer)
    this.client.destroy()
    this.upstream?.destroy()
    if (this.lease?.active === this) this.lease.active = undefined
    this.ctx.forget(this)
  }

  private refuse(why: string, cseq?: string): void {
    if (this.closed) return
    this.ctx.counters.refused++
    this.ctx.log(`RTSP proxy: refused a connection (${why})`)
    const response = `RTSP/1.0 403 Forbidden\r\n${cseq ? `CSeq: ${cseq}\r\n` : ''}Content-Length: 0\r\n\r\n`
    this.endClientWith(Buffer.from(response))
  }

  /** Sends a last message to ffmpeg, then closes both sides (the client end is flushed first). */
  private endClientWith(data: Buffer): void {
    this.ending = true
    this.upstream?.destroy()
    this.client.end(data)
    setTimeout(() => this.close(), 1000).unref()
  }

  private fromClient(msg: RtspMessage): void {
    if (this.closed || this.ending) return
    if (isResponse(msg)) {
      // ffmpeg answering a request of the camera's: the camera's CSeq, passed on as is.
      this.toCamera(serialize(msg))
      return
    }
    const line = requestLine(msg)
    if (!line) return this.refuse('not a request')
    if (!this.lease) {
      const lease = this.ctx.leaseFor(line.uri)
      const cseq = getHeader(msg, 'CSeq')
      if (!lease) return this.refuse('unknown or expired path', cseq)
      if (lease.active) {
        lease.fail({
          reason: 'other',
          message: "Another program connected to this camera's proxy at the same time",
          detail: 'second connection on one lease refused',
          fatal: true,
        })
        return this.refuse('lease already in use', cseq)
      }
      clearTimeout(this.timer)
      this.lease = lease
      lease.active = this
      lease.connections++
      this.connectUpstream()
    }
    const uri = this.cameraUri(line.uri)
    if (line.method === 'TEARDOWN') this.teardown = true
    const message: RtspMessage = {
      ...msg,
      startLine: `${line.method} ${uri} ${line.version}`,
      headers: [...msg.headers],
    }
    removeHeader(message, 'Authorization')
    removeHeader(message, 'Proxy-Authorization')
    this.send({ clientCSeq: getHeader(msg, 'CSeq'), method: line.method, uri, message, retried: false })
  }

  /**
   * Proxy URI → the camera's: the lease URL stands for the camera URL, and what ffmpeg appends to it (a
   * relative control such as "/trackID=1") is appended to the camera URL, as ffmpeg would have sent it to
   * the camera directly. The camera's own absolute URIs (from its Content-Base) stay as they are.
   */
  private cameraUri(uri: string): string {
    const token = tokenOf(uri)
    if (token === undefined || token !== this.lease?.token) return uri
    const rest = uri.replace(/^rtsps?:\/\/[^/?#]*\/[^/?#]*/i, '')
    const base = this.ctx.target.base
    return rest ? `${base.replace(/\/$/, '')}${rest}` : base
  }

  private send(p: Pending): void {
    const seq = ++this.seq
    this.pending.set(seq, p)
    const m: RtspMessage = { ...p.message, headers: [...p.message.headers] }
    setHeader(m, 'CSeq', String(seq))
    if (this.auth) setHeader(m, 'Authorization', this.auth(p.method, p.uri))
    this.toCamera(serialize(m))
  }

  private connectUpstream(): void {
    const { host, port } = this.ctx.target
    const upstream = net.connect({ host, port })
    this.upstream = upstream
    upstream.setNoDelay(true)
    const connectTimer = setTimeout(
      () => this.upstreamFailed(new Error('connect timeout'), true),
      this.ctx.connectTimeoutMs,
    )
    connectTimer.unref()
    upstream.once('connect', () => clearTimeout(connectTimer))
    this.upstreamFramer = new RtspFramer({
      message: (m) => this.fromCamera(m),
      interleavedStart: (header) => {
        this.ctx.counters.framesFromCamera++
        this.toClient(header)
      },
      interleavedData: (data) => this.toClient(data),
      error: (why) => {
        this.lease?.fail({
          reason: 'bad-stream',
          message: 'The camera does not speak RTSP properly',
          detail: why,
          fatal: true,
        })
        this.close()
      },
    })
    upstream.on('data', (chunk: Buffer) => {
      this.ctx.counters.bytesFromCamera += chunk.length
      this.upstreamFramer!.push(chunk)
    })
    upstream.on('error', (err) => {
      clearTimeout(connectTimer)
      this.upstreamFailed(err)
    })
    upstream.on('close', () => {
      clearTimeout(connectTimer)
      if (this.ending) return
      if (!this.closed && !this.teardown) {
        this.lease?.fail(failureFrom(Object.assign(new Error('closed'), { code: 'ECONNRESET' })).problem)
      }
      this.close()
    })
  }

  private upstreamFailed(err: Error, timeout = false): void {
    if (this.closed || this.ending) return
    const { problem, phrase } = failureFrom(err, timeout)
    this.lease?.fail(problem)
    const oldest = [...this.pending.values()][0]
    this.pending.clear()
    if (oldest && !this.teardown) {
      const cseq = oldest.clientCSeq ? `CSeq: ${oldest.clientCSeq}\r\n` : ''
      this.endClientWith(Buffer.from(`RTSP/1.0 503 ${phrase}\r\n${cseq}Content-Length: 0\r\n\r\n`))
    } else {
      this.close()
    }
  }

  private fromCamera(msg: RtspMessage): void {
    if (this.closed) return
    if (!isResponse(msg)) {
      // A request of the camera's (rare: ANNOUNCE, GET_PARAMETER...): ffmpeg answers it.
      this.toClient(serialize(msg))
      return
    }
    const cseq = Number(getHeader(msg, 'CSeq'))
    let key = Number.isInteger(cseq) && this.pending.has(cseq) ? cseq : undefined
    // A camera that leaves CSeq out: responses come in order.
    key ??= this.pending.keys().next().value
    const p = key === undefined ? undefined : this.pending.get(key)
    if (key === undefined || !p) {
      this.toClient(serialize(msg))
      return
    }
    this.pending.delete(key)
    if (statusOf(msg) === 401 && this.answerChallenge(msg, p)) return
    if (p.clientCSeq !== undefined) setHeader(msg, 'CSeq', p.clientCSeq)
    else removeHeader(msg, 'CSeq')
    this.toClient(serialize(msg))
  }

  /** Retries the request with credentials; answers false when the 401 should go to ffmpeg. */
  private answerChallenge(msg: RtspMessage, p: Pending): boolean {
    const { hasCredentials } = this.ctx.target
    const challenge = pickChallenge(parseChallenges(getHeaders(msg, 'WWW-Authenticate')))
    if (hasCredentials && challenge && !p.retried) {
      this.auth = this.ctx.target.answer(challenge)
      this.send({ ...p, retried: true })
      return true
    }
    const message = !hasCredentials
      ? 'The camera asks for a user name and password, and none is set'
      : p.retried
        ? 'The camera refused the user name or password'
        : 'The camera asks for a kind of authentication the station does not support'
    const detail = `${p.method} answered 401${p.retried ? ' to the credentials' : ''}`
    this.lease?.fail({ reason: 'auth-failed', message, detail, fatal: true })
    this.ctx.log(`RTSP proxy: ${message} (${detail})`)
    return false
  }

  private toCamera(data: Buffer): void {
    if (this.ending) return
    if (!this.upstream || this.closed) return this.close()
    this.ctx.counters.bytesToCamera += data.length
    if (!this.upstream.write(data)) this.hold(this.client, this.upstream)
  }

  private toClient(data: Buffer): void {
    if (this.closed) return
    if (!this.client.write(data)) this.hold(this.upstream!, this.client)
  }

  /** Backpressure: stops reading `from` until `to` has drained. */
  private hold(from: net.Socket, to: net.Socket): void {
    if (from.isPaused()) return
    from.pause()
    to.once('drain', () => from.resume())
  }
}
