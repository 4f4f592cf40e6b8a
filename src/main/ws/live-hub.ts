/**
 * The UI's live channel: a set of subscriber sockets. A message is serialized once and the same string
 * goes to every subscriber allowed to see it. A slow subscriber (its socket's `bufferedAmount` growing)
 * misses messages past a soft bound and is disconnected past a hard bound, so one stuck client can never
 * grow the station's memory. One that keeps lagging past the soft bound for `maxLagMs` is disconnected too
 * (it has missed messages and must resynchronize anyway). One that catches up (its buffer back under the
 * soft bound) after missing messages first gets `{ type: 'resync', missed: N }`, so it reloads what it
 * shows. Dead peers (no pong within a ping interval) are dropped.
 */
import type { WebSocket } from 'ws'
import type { LiveHub } from '../services'
import type { LiveMessage } from '../../shared/schemas/live'

export interface LiveSubscriber {
  username: string
  role: string
}

export interface LiveHubOptions {
  /** Past this many buffered bytes a subscriber misses messages (counted as `dropped`). */
  softLimitBytes: number
  /** Past this many it is disconnected (counted as `slowDisconnects`). */
  hardLimitBytes: number
  /** A subscriber over the soft bound for this long is disconnected too. */
  maxLagMs: number
}

export const DEFAULT_LIVE_LIMITS: LiveHubOptions = {
  softLimitBytes: 512 * 1024,
  hardLimitBytes: 4 * 1024 * 1024,
  maxLagMs: 10_000,
}

/** While some subscriber has missed messages, how often to check whether it has caught up. */
export const RESYNC_CHECK_MS = 250

/** Close code for a subscriber too slow to keep up (1013: try again later). */
export const SLOW_CLOSE_CODE = 1013

interface Entry extends LiveSubscriber {
  alive: boolean
  /** When it went over the soft bound (undefined while it keeps up). */
  laggingSince: number | undefined
  /** Messages skipped for it since it last kept up (told with a `resync` once it does). */
  missed: number
}

type Socket = Pick<
  WebSocket,
  'send' | 'ping' | 'terminate' | 'close' | 'bufferedAmount' | 'readyState' | 'on' | 'once'
>

export class WsLiveHub implements LiveHub {
  private readonly subs = new Map<Socket, Entry>()
  private admins = 0
  private published = 0
  private dropped = 0
  private slowDisconnects = 0
  private deadDisconnects = 0
  private resyncs = 0
  /** Runs only while a subscriber has missed messages and not caught up yet. */
  private resyncTimer: NodeJS.Timeout | undefined
  /** In-process subscribers (the desktop IPC bridge): they get what a socket with the same role would. */
  private readonly local = new Set<{ role: string; deliver: (msg: LiveMessage) => void }>()

  constructor(private readonly opts: LiveHubOptions = DEFAULT_LIVE_LIMITS) {}

  get subscribers(): number {
    return this.subs.size + this.local.size
  }

  subscribe(who: LiveSubscriber, deliver: (msg: LiveMessage) => void): () => void {
    const entry = { role: who.role, deliver }
    this.local.add(entry)
    return () => void this.local.delete(entry)
  }

  /** Adds a subscriber until its socket closes. */
  add(socket: Socket, who: LiveSubscriber): void {
    const entry: Entry = { ...who, alive: true, laggingSince: undefined, missed: 0 }
    this.subs.set(socket, entry)
    if (who.role === 'admin') this.admins++
    socket.on('pong', () => (entry.alive = true))
    socket.once('close', () => this.remove(socket))
  }

  private remove(socket: Socket): void {
    const entry = this.subs.get(socket)
    if (!entry) return
    this.subs.delete(socket)
    if (entry.role === 'admin') this.admins--
  }

  /** Whether anyone would receive a message (lets callers skip building it). */
  hasAudience(adminOnly = false): boolean {
    if (adminOnly ? this.admins > 0 : this.subs.size > 0) return true
    for (const l of this.local) if (!adminOnly || l.role === 'admin') return true
    return false
  }

  publish(msg: LiveMessage, opts: { adminOnly?: boolean } = {}): void {
    const adminOnly = opts.adminOnly === true
    if (!this.hasAudience(adminOnly)) return
    for (const l of this.local) {
      if (adminOnly && l.role !== 'admin') continue
      try {
        l.deliver(msg)
      } catch {
        // One failing in-process listener must not keep the message from the others.
      }
    }
    const data = JSON.stringify(msg)
    this.published++
    let now = 0
    for (const [socket, entry] of this.subs) {
      if (adminOnly && entry.role !== 'admin') continue
      if (socket.readyState !== 1) continue
      const buffered = socket.bufferedAmount
      if (buffered > this.opts.softLimitBytes) {
        now ||= Date.now()
        entry.laggingSince ??= now
        if (buffered > this.opts.hardLimitBytes || now - entry.laggingSince > this.opts.maxLagMs) {
          this.disconnectSlow(socket)
        } else {
          this.dropped++
          entry.missed++
          this.watchResync()
        }
        continue
      }
      entry.laggingSince = undefined
      if (entry.missed > 0) this.sendResync(socket, entry)
      socket.send(data)
    }
  }

  /** Tells a subscriber that caught up how many messages it missed (it reloads its lists). */
  private sendResync(socket: Socket, entry: Entry): void {
    const msg: LiveMessage = { type: 'resync', missed: entry.missed }
    entry.missed = 0
    this.resyncs++
    socket.send(JSON.stringify(msg))
  }

  private watchResync(): void {
    if (this.resyncTimer) return
    this.resyncTimer = setInterval(() => this.checkResync(), RESYNC_CHECK_MS)
    this.resyncTimer.unref()
  }

  /** Subscribers that missed messages and whose buffer drained since get their `resync` now, not at the next message. */
  checkResync(): void {
    let waiting = false
    for (const [socket, entry] of this.subs) {
      if (entry.missed === 0) continue
      if (socket.readyState === 1 && socket.bufferedAmount <= this.opts.softLimitBytes) {
        entry.laggingSince = undefined
        this.sendResync(socket, entry)
      } else waiting = true
    }
    if (!waiting) this.stopResyncWatch()
  }

  private stopResyncWatch(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer)
    this.resyncTimer = undefined
  }

  private disconnectSlow(socket: Socket): void {
    this.slowDisconnects++
    this.remove(socket)
    socket.terminate()
  }

  /** One ping round: a subscriber that did not answer the previous ping is dropped. */
  heartbeat(): void {
    const now = Date.now()
    for (const [socket, entry] of this.subs) {
      if (entry.laggingSince !== undefined) {
        if (socket.bufferedAmount <= this.opts.softLimitBytes) entry.laggingSince = undefined
        else if (now - entry.laggingSince > this.opts.maxLagMs) {
          this.disconnectSlow(socket)
          continue
        }
      }
      if (!entry.alive) {
        this.deadDisconnects++
        this.remove(socket)
        socket.terminate()
        continue
      }
      entry.alive = false
      socket.ping()
    }
  }

  /** Bytes waiting in subscribers' socket buffers (bounded by the hard limit per subscriber). */
  bufferedBytes(): number {
    let n = 0
    for (const socket of this.subs.keys()) n += socket.bufferedAmount
    return n
  }

  /** Closes every subscriber (shutdown); ones that cannot take a close frame promptly are cut. */
  closeAll(code = 1001, reason = 'station shutting down'): void {
    this.stopResyncWatch()
    for (const socket of [...this.subs.keys()]) {
      this.remove(socket)
      if (socket.bufferedAmount > 0) socket.terminate()
      else socket.close(code, reason)
    }
  }

  stats() {
    return {
      subscribers: this.subs.size,
      admins: this.admins,
      published: this.published,
      dropped: this.dropped,
      slowDisconnects: this.slowDisconnects,
      deadDisconnects: this.deadDisconnects,
      resyncs: this.resyncs,
      bufferedBytes: this.bufferedBytes(),
    }
  }
}
