/**
 * A simulated IP camera on loopback, for the pull kinds: `GET /mjpeg` (multipart/x-mixed-replace) and
 * `GET /snapshot.jpg`, with optional Basic or Digest authentication, and misbehaviours for tests
 * (garbage, hanging before or after the headers). It can be killed and brought back on the same port, and
 * counts the connections it holds (the relay must hold one per camera, whatever the number of viewers).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { createHash, randomBytes } from 'node:crypto'
import { parseChallenges } from '../http-auth'
import { SimFrames, sharedSimFrames } from './frames'

export type CameraBehaviour = 'ok' | 'garbage' | 'not-multipart' | 'hang' | 'hang-after-headers' | 'truncated'

export interface SimCameraServerOptions {
  label?: string
  fps?: number
  /** Require credentials: Basic or Digest (MD5, qop=auth). */
  auth?: { scheme: 'basic' | 'digest'; username: string; password: string }
  /** Send Content-Length in each multipart part (most cameras do; some do not). */
  partContentLength?: boolean
  behaviour?: CameraBehaviour
  frames?: SimFrames
  port?: number
}

const BOUNDARY = 'simcamboundary'

export class SimCameraServer {
  private server: http.Server | undefined
  private readonly sockets = new Set<Socket>()
  private timers = new Set<NodeJS.Timeout>()
  private seq = 0
  private readonly nonce = randomBytes(8).toString('hex')
  port = 0
  behaviour: CameraBehaviour
  /** TCP connections open now, and ever accepted. */
  openConnections = 0
  totalConnections = 0
  /** MJPEG streams being served now. */
  activeStreams = 0
  requests = 0
  unauthorized = 0
  framesSent = 0
  /** Every frame sent, by seq (the last 64), for byte-for-byte checks. */
  readonly sent = new Map<number, Buffer>()

  constructor(private readonly opts: SimCameraServerOptions = {}) {
    this.behaviour = opts.behaviour ?? 'ok'
    this.port = opts.port ?? 0
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res))
    server.on('connection', (s: Socket) => {
      this.openConnections++
      this.totalConnections++
      this.sockets.add(s)
      s.on('close', () => {
        this.openConnections--
        this.sockets.delete(s)
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    const addr = server.address()
    this.port = typeof addr === 'object' && addr ? addr.port : this.port
    this.server = server
    return this
  }

  /** Kills the camera: every connection dropped, nothing listening (the port is kept for `start()`). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    this.timers.clear()
    const server = this.server
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private frame(): Buffer {
    const frames = this.opts.frames ?? sharedSimFrames()
    const seq = ++this.seq
    const f = frames.frame(seq, performance.timeOrigin + performance.now(), this.opts.label ?? 'SIMCAM')
    this.sent.set(seq, f)
    this.sent.delete(seq - 64)
    this.framesSent++
    return f
  }

  private authorized(req: IncomingMessage): boolean {
    const a = this.opts.auth
    if (!a) return true
    const header = req.headers.authorization ?? ''
    if (a.scheme === 'basic') {
      return header === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`
    }
    const c = parseChallenges(header.replace(/^Digest /i, 'Digest '))[0]
    if (c?.scheme !== 'digest') return false
    const p = c.params
    const md5 = (s: string) => createHash('md5').update(s).digest('hex')
    const ha1 = md5(`${a.username}:sim:${a.password}`)
    const ha2 = md5(`GET:${p.uri}`)
    const expected = md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
    return p.username === a.username && p.nonce === this.nonce && p.uri === req.url && p.response === expected
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++
    if (!this.authorized(req)) {
      this.unauthorized++
      const scheme = this.opts.auth?.scheme
      res.writeHead(401, {
        'www-authenticate':
          scheme === 'digest'
            ? `Digest realm="sim", qop="auth", nonce="${this.nonce}", opaque="x", algorithm=MD5`
            : 'Basic realm="sim"',
        'content-length': '0',
      })
      res.end()
      return
    }
    if (this.behaviour === 'hang') return // never answers
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/snapshot.jpg') return this.snapshot(res)
    if (path === '/mjpeg') return this.mjpeg(res)
    res.writeHead(404).end()
  }

  private snapshot(res: ServerResponse): void {
    if (this.behaviour === 'hang-after-headers') {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '50000' })
      res.flushHeaders()
      return
    }
    if (this.behaviour === 'garbage' || this.behaviour === 'not-multipart') {
      const junk = randomBytes(5000)
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(junk.length) })
      res.end(junk)
      return
    }
    const f = this.frame()
    const body = this.behaviour === 'truncated' ? f.subarray(0, f.length >> 1) : f
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(body.length) })
    res.end(body)
  }

  private mjpeg(res: ServerResponse): void {
    if (this.behaviour === 'not-multipart') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>camera login page</html>')
      return
    }
    res.writeHead(200, {
      'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
      'cache-control': 'no-cache',
    })
    res.flushHeaders()
    if (this.behaviour === 'hang-after-headers') return
    this.activeStreams++
    const fps = this.opts.fps ?? 10
    const timer = setInterval(() => {
      if (this.behaviour === 'garbage') {
        res.write(randomBytes(4000))
        return
      }
      const f = this.frame()
      const body = this.behaviour === 'truncated' ? f.subarray(0, f.length >> 1) : f
      const len = this.opts.partContentLength === false ? '' : `Content-Length: ${body.length}\r\n`
      res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\n${len}\r\n`)
      res.write(body)
      res.write('\r\n')
    }, 1000 / fps)
    this.timers.add(timer)
    res.on('close', () => {
      clearInterval(timer)
      this.timers.delete(timer)
      this.activeStreams--
    })
  }
}
