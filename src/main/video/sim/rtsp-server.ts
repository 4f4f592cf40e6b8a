/**
 * The simulator's RTSP 1.0 server (RFC 2326) on 127.0.0.1: real H.264 cameras without hardware for tests,
 * the benchmark and installers. Each path loops a pre-encoded H.264 Annex-B file (never re-encoded) as RTP
 * over the RTSP connection (RTP/AVP/TCP interleaved; UDP is refused with 461), paced by one clock per path
 * shared by all its clients; each client has a bounded send buffer. Authentication: none, Basic or Digest.
 * A path can be killed (its clients dropped, new ones refused with 503) and revived; the whole server can
 * be stopped and started again on the same port.
 */
import net from 'node:net'
import { RtspAuthenticator, type RtspAuthOptions } from './rtsp-auth'
import { RtspConnection, type ConnectionContext, type ConnectionStats } from './rtsp-connection'
import { loadStream, normalizePath, RtspPath, type PacketizedStream, type RtspPathOptions } from './rtsp-path'

export interface RtspSimServerOptions {
  /** The paths served, e.g. `{ path: '/cam1/main', file, fps: 25 }`. */
  streams: RtspPathOptions[]
  /** 0 (default): any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  auth?: RtspAuthOptions
  /** Session timeout announced in the Session header, seconds (default 60). */
  sessionTimeoutS?: number
  /** Per client: past this many unsent bytes, frames are skipped until the next keyframe (default 2 MiB). */
  sendBufferBytes?: number
  /** Per client: over the bound this long, the connection is dropped (default 10 s). */
  stallDropMs?: number
  /** RTCP sender reports per client, every (default 5 s). */
  rtcpIntervalMs?: number
}

export interface RtspPathStats {
  path: string
  alive: boolean
  clients: number
  framesEmitted: number
  accessUnits: number
  keyframes: number
}

export interface RtspServerStats {
  connections: number
  totalConnections: number
  /** Connections dropped because the client did not read. */
  stalledDrops: number
  /** Frames sent and skipped over every connection so far (closed ones included). */
  framesSent: number
  framesSkipped: number
  paths: RtspPathStats[]
  clients: ConnectionStats[]
}

export class RtspSimServer {
  private server: net.Server | undefined
  private readonly paths = new Map<string, RtspPath>()
  /** Parsed files by file and payload size: eight paths looping one file hold it once. */
  private readonly files = new Map<string, PacketizedStream>()
  private readonly connections = new Set<RtspConnection>()
  private readonly auth: RtspAuthenticator
  private readonly host: string
  private totalConnections = 0
  private stalledDrops = 0
  /** Counts of connections already closed. */
  private closedFramesSent = 0
  private closedFramesSkipped = 0
  port: number

  constructor(private readonly opts: RtspSimServerOptions) {
    this.host = opts.host ?? '127.0.0.1'
    this.port = opts.port ?? 0
    this.auth = new RtspAuthenticator(opts.auth ?? { scheme: 'none' })
    for (const s of opts.streams) this.addPath(s)
  }

  /** Serves one more path (parses its file now, unless another path serves it already). */
  addPath(s: RtspPathOptions): RtspPath {
    const key = `${s.maxPayload ?? ''}:${s.file}`
    let stream = this.files.get(key)
    if (!stream) {
      stream = loadStream(s.file, s.maxPayload)
      this.files.set(key, stream)
    }
    const path = new RtspPath(s, stream)
    if (this.paths.has(path.name)) throw new Error(`RTSP path ${path.name} is served twice`)
    this.paths.set(path.name, path)
    return path
  }

  get pathNames(): string[] {
    return [...this.paths.keys()]
  }

  get origin(): string {
    return `rtsp://${this.host}:${this.port}`
  }

  /** The URL of a path, optionally with credentials in it (as many cameras are configured). */
  url(path: string, creds?: { username: string; password: string }): string {
    const userinfo = creds
      ? `${encodeURIComponent(creds.username)}:${encodeURIComponent(creds.password)}@`
      : ''
    return `rtsp://${userinfo}${this.host}:${this.port}${normalizePath(path)}`
  }

  async start(): Promise<this> {
    if (this.server) return this
    const ctx: ConnectionContext = {
      path: (name) => this.paths.get(name),
      auth: this.auth,
      sessionTimeoutS: Math.max(1, Math.round(this.opts.sessionTimeoutS ?? 60)),
      sendBufferBytes: this.opts.sendBufferBytes ?? 2 * 1024 * 1024,
      stallDropMs: this.opts.stallDropMs ?? 10_000,
      rtcpIntervalMs: this.opts.rtcpIntervalMs ?? 5000,
      origin: () => this.origin,
      stalled: () => this.stalledDrops++,
    }
    const server = net.createServer((socket) => {
      this.totalConnections++
      const conn = new RtspConnection(socket, ctx, (c) => {
        this.connections.delete(c)
        this.closedFramesSent += c.framesSent
        this.closedFramesSkipped += c.framesSkipped
      })
      this.connections.add(conn)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, this.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const addr = server.address()
    if (addr && typeof addr === 'object') this.port = addr.port
    this.server = server
    return this
  }

  /** Drops every connection and stops listening; `start()` listens again on the same port. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const c of [...this.connections]) c.destroy()
    for (const p of this.paths.values()) p.close()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private path(name: string): RtspPath {
    const p = this.paths.get(normalizePath(name))
    if (!p) throw new Error(`No RTSP path ${name}`)
    return p
  }

  /** The path "dies": its clients are dropped, and DESCRIBE/SETUP/PLAY answer 503 until `revivePath`. */
  killPath(name: string): void {
    const p = this.path(name)
    p.alive = false
    for (const c of [...this.connections]) if (c.pathName === p.name) c.destroy()
    p.close()
  }

  revivePath(name: string): void {
    this.path(name).alive = true
  }

  /** Drops the clients of one path (or of all), without refusing new ones: a camera rebooting quickly. */
  dropClients(name?: string): void {
    const only = name === undefined ? undefined : this.path(name).name
    for (const c of [...this.connections]) if (only === undefined || c.pathName === only) c.destroy()
  }

  stats(): RtspServerStats {
    const clients = [...this.connections].map((c) => c.stats())
    return {
      connections: this.connections.size,
      totalConnections: this.totalConnections,
      stalledDrops: this.stalledDrops,
      framesSent: clients.reduce((n, c) => n + c.framesSent, this.closedFramesSent),
      framesSkipped: clients.reduce((n, c) => n + c.framesSkipped, this.closedFramesSkipped),
      paths: [...this.paths.values()].map((p) => ({
        path: p.name,
        alive: p.alive,
        clients: p.subscriberCount,
        framesEmitted: p.framesEmitted,
        accessUnits: p.units.length,
        keyframes: p.units.filter((u) => u.keyframe).length,
      })),
      clients,
    }
  }
}
