/**
 * One client's TCP connection to the simulated RTSP server: its requests (OPTIONS, DESCRIBE, SETUP, PLAY,
 * PAUSE, GET_PARAMETER, TEARDOWN), its one session, and, while it plays, the RTP and RTCP it is sent
 * interleaved on the same connection. The send buffer is bounded: past the bound the client skips frames
 * and resumes at the next keyframe once it drains; over the bound for longer than the stall limit, the
 * connection is dropped. A session (or a connection without one) with no request and no RTCP for its
 * timeout is closed.
 */
import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import { formatResponse, RtspReader, type RtspRequest } from './rtsp-messages'
import { pickTcpTransport, requestTarget, sessionId, type TcpTransport } from './rtsp-requests'
import { TRACK, type PacketizedUnit, type PathSubscriber, type RtspPath } from './rtsp-path'
import { RtpStream, senderReport } from './rtp-packetizer'
import type { RtspAuthenticator } from './rtsp-auth'

export const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, TEARDOWN'

export interface ConnectionContext {
  path(name: string): RtspPath | undefined
  readonly auth: RtspAuthenticator
  readonly sessionTimeoutS: number
  readonly sendBufferBytes: number
  readonly stallDropMs: number
  readonly rtcpIntervalMs: number
  /** `rtsp://127.0.0.1:port`, for Content-Base when a request URI has no host. */
  origin(): string
  /** A connection was dropped for stalling. */
  stalled(): void
}

interface Session {
  id: string
  path: RtspPath
  transport: TcpTransport
  /** The SETUP request URI: RTP-Info names the track by it. */
  trackUri: string
  rtp: RtpStream
  playing: boolean
}

export interface ConnectionStats {
  path: string | undefined
  playing: boolean
  framesSent: number
  /** Frames left out because the client was behind (not counting the wait for the first keyframe). */
  framesSkipped: number
  bytesSent: number
  /** Bytes waiting in this connection's send buffer now, and at most so far. */
  buffered: number
  maxBuffered: number
}

export class RtspConnection implements PathSubscriber {
  private readonly reader: RtspReader
  private session: Session | undefined
  private waitingForKeyframe = true
  private skipping = false
  private overSince: number | undefined
  private lastActivity = performance.now()
  private idleTimer: NodeJS.Timeout | undefined
  private lastReportAt = 0
  private closed = false
  framesSent = 0
  framesSkipped = 0
  bytesSent = 0
  maxBuffered = 0

  constructor(
    readonly socket: Socket,
    private readonly ctx: ConnectionContext,
    private readonly onClose: (c: RtspConnection) => void,
  ) {
    socket.setNoDelay(true)
    this.reader = new RtspReader({
      request: (req) => this.onRequest(req),
      interleaved: () => this.touch(), // RTCP receiver reports: the client is alive
      error: (message) => {
        this.reply(400, undefined, { Connection: 'close' }, message)
        this.socket.end()
      },
    })
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk))
    socket.on('error', () => socket.destroy())
    socket.on('close', () => this.close())
    this.armIdleTimer()
  }

  /** The path this connection has a session on (set up or playing). */
  get pathName(): string | undefined {
    return this.session?.path.name
  }

  stats(): ConnectionStats {
    return {
      path: this.session?.path.name,
      playing: this.session?.playing ?? false,
      framesSent: this.framesSent,
      framesSkipped: this.framesSkipped,
      bytesSent: this.bytesSent,
      buffered: this.socket.writableLength,
      maxBuffered: this.maxBuffered,
    }
  }

  /** Drops the connection (path killed, server stopping, stalled or timed out). */
  destroy(): void {
    this.socket.destroy()
    this.close()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.session?.path.detach(this)
    this.onClose(this)
  }

  private touch(): void {
    this.lastActivity = performance.now()
  }

  private armIdleTimer(): void {
    const timeoutMs = this.ctx.sessionTimeoutS * 1000
    const left = this.lastActivity + timeoutMs - performance.now()
    this.idleTimer = setTimeout(
      () => {
        if (performance.now() - this.lastActivity >= timeoutMs) this.destroy()
        else this.armIdleTimer()
      },
      Math.max(left, 10),
    )
    this.idleTimer.unref()
  }

  private reply(
    status: number,
    req: RtspRequest | undefined,
    headers: Record<string, string | undefined> = {},
    body?: string,
  ): void {
    if (this.closed || this.socket.destroyed) return
    const withType = body !== undefined && !headers['Content-Type'] ? { 'Content-Type': 'text/plain' } : {}
    this.socket.write(formatResponse(status, req?.headers.get('cseq'), { ...withType, ...headers }, body))
  }

  private sessionHeader(s: Session): string {
    return `${s.id};timeout=${this.ctx.sessionTimeoutS}`
  }

  private onRequest(req: RtspRequest): void {
    this.touch()
    if (!req.headers.has('cseq')) return this.reply(400, req, {}, 'CSeq missing')
    if (req.version !== 'RTSP/1.0') return this.reply(505, req)
    try {
      if (req.method === 'OPTIONS') return this.reply(200, req, { Public: PUBLIC_METHODS })
      const known = ['DESCRIBE', 'SETUP', 'PLAY', 'PAUSE', 'GET_PARAMETER', 'TEARDOWN']
      if (!known.includes(req.method)) return this.reply(501, req, { Public: PUBLIC_METHODS })
      const auth = this.ctx.auth.check(req.method, req.uri, req.headers.get('authorization'))
      if (!auth.ok) return this.reply(401, req, { 'WWW-Authenticate': auth.challenge })
      switch (req.method) {
        case 'DESCRIBE':
          return this.describe(req)
        case 'SETUP':
          return this.setup(req)
        case 'PLAY':
          return this.play(req)
        case 'PAUSE':
          return this.pause(req)
        case 'GET_PARAMETER':
          return this.getParameter(req)
        case 'TEARDOWN':
          return this.teardown(req)
      }
    } catch (err) {
      this.reply(500, req, {}, err instanceof Error ? err.message : String(err))
    }
  }

  /** The live path a request names, or an error answer already sent. */
  private livePath(req: RtspRequest): { path: RtspPath; track: boolean; base: string } | undefined {
    const target = requestTarget(req.uri)
    const path = target && this.ctx.path(target.path)
    if (!target || !path) {
      this.reply(404, req, {}, `No stream at ${req.uri}`)
      return undefined
    }
    if (!path.alive) {
      this.reply(503, req, {}, `Stream ${path.name} is offline`)
      return undefined
    }
    return { path, track: target.track, base: `${target.origin ?? this.ctx.origin()}${path.name}/` }
  }

  /** The session a request names, or an error answer already sent. */
  private requestSession(req: RtspRequest): Session | undefined {
    const id = sessionId(req.headers.get('session'))
    if (!this.session || id !== this.session.id) {
      this.reply(454, req)
      return undefined
    }
    return this.session
  }

  private describe(req: RtspRequest): void {
    const found = this.livePath(req)
    if (!found) return
    const host = /^rtsps?:\/\/([^/:]+)/i.exec(found.base)?.[1] ?? '127.0.0.1'
    this.reply(
      200,
      req,
      { 'Content-Base': found.base, 'Content-Type': 'application/sdp' },
      found.path.sdp(host),
    )
  }

  private setup(req: RtspRequest): void {
    const found = this.livePath(req)
    if (!found) return
    const transport = pickTcpTransport(req.headers.get('transport'))
    if (!transport) {
      return this.reply(
        461,
        req,
        {},
        'Only RTP over the RTSP connection is served: Transport: RTP/AVP/TCP;unicast;interleaved=0-1',
      )
    }
    const asked = sessionId(req.headers.get('session'))
    if (asked !== undefined && asked !== this.session?.id) return this.reply(454, req)
    if (this.session && this.session.path !== found.path) {
      return this.reply(459, req, {}, 'One stream per session')
    }
    if (this.session?.playing) return this.reply(455, req, {}, 'Already playing')
    const trackUri = found.track ? req.uri : `${found.base}${TRACK}`
    const rtp = this.session?.rtp ?? new RtpStream(96)
    this.session = {
      id: this.session?.id ?? randomBytes(8).toString('hex').toUpperCase(),
      path: found.path,
      transport,
      trackUri,
      rtp,
      playing: false,
    }
    const ssrc = rtp.ssrc.toString(16).toUpperCase().padStart(8, '0')
    this.reply(200, req, {
      Transport: `RTP/AVP/TCP;unicast;interleaved=${transport.rtp}-${transport.rtcp};ssrc=${ssrc};mode="PLAY"`,
      Session: this.sessionHeader(this.session),
    })
  }

  private play(req: RtspRequest): void {
    const s = this.requestSession(req)
    if (!s) return
    if (!s.path.alive) return this.reply(503, req, {}, `Stream ${s.path.name} is offline`)
    const start = s.path.nextKeyframe()
    this.reply(200, req, {
      Session: this.sessionHeader(s),
      Range: 'npt=0.000-',
      'RTP-Info': `url=${s.trackUri};seq=${s.rtp.seq};rtptime=${s.rtp.timestamp(start.timestamp)}`,
    })
    if (s.playing) return
    s.playing = true
    this.waitingForKeyframe = true
    s.path.attach(this)
  }

  private pause(req: RtspRequest): void {
    const s = this.requestSession(req)
    if (!s) return
    s.playing = false
    s.path.detach(this)
    this.reply(200, req, { Session: this.sessionHeader(s) })
  }

  private getParameter(req: RtspRequest): void {
    // A keepalive, with or without a session (some clients send it before SETUP).
    const id = sessionId(req.headers.get('session'))
    if (id !== undefined && id !== this.session?.id) return this.reply(454, req)
    this.reply(200, req, this.session ? { Session: this.sessionHeader(this.session) } : {})
  }

  private teardown(req: RtspRequest): void {
    const s = this.requestSession(req)
    if (!s) return
    s.path.detach(this)
    this.session = undefined
    this.reply(200, req, { Session: s.id })
  }

  /** A frame from the path's clock (PathSubscriber). */
  deliver(unit: PacketizedUnit, timestamp: number): void {
    const s = this.session
    if (!s?.playing || this.closed) return
    const now = performance.now()
    if (this.socket.writableLength > this.ctx.sendBufferBytes) {
      this.overSince ??= now
      if (now - this.overSince > this.ctx.stallDropMs) {
        this.ctx.stalled()
        this.destroy()
        return
      }
      this.framesSkipped++
      this.skipping = true
      this.waitingForKeyframe = true
      return
    }
    this.overSince = undefined
    if (this.waitingForKeyframe) {
      if (!unit.keyframe) {
        if (this.skipping) this.framesSkipped++
        return
      }
      this.waitingForKeyframe = false
      this.skipping = false
    }
    const packets = s.rtp.interleaved(unit.payloads, timestamp, s.transport.rtp)
    this.socket.write(packets)
    this.framesSent++
    this.bytesSent += packets.length
    if (now - this.lastReportAt >= this.ctx.rtcpIntervalMs) {
      this.lastReportAt = now
      const report = senderReport(
        s.rtp,
        performance.timeOrigin + now,
        s.rtp.timestamp(s.path.timestampAt(now)),
        `sim@${s.path.name}`,
        s.transport.rtcp,
      )
      this.socket.write(report)
      this.bytesSent += report.length
    }
    this.maxBuffered = Math.max(this.maxBuffered, this.socket.writableLength)
  }

  resync(): void {
    this.waitingForKeyframe = true
  }
}
