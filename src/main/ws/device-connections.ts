/**
 * The open device WebSockets, one per device id: a second socket for the same device replaces the first.
 * Pings every socket on an interval and terminates peers that missed the previous pong; a socket whose
 * send buffer grows past a bound (a slow or stalled consumer) is dropped rather than buffered without end.
 */
import type { WebSocket } from 'ws'
import type { StationToDevice } from '../../shared/schemas/device-protocol'

export interface DeviceConnection {
  readonly deviceId: string
  readonly socket: WebSocket
  /** How the device authenticated: a socket opened with a device token closes when the token is revoked. */
  readonly via: 'site-key' | 'token'
  readonly ip: string | null
  alive: boolean
  /** Which slice of the ping round checks this socket (see PING_SLICES). */
  readonly slot: number
}

/**
 * A ping round is spread over this many ticks (one every pingIntervalMs / PING_SLICES): with thousands
 * of devices, pinging them all at once would hold the event loop for a long moment, and their pongs
 * would all arrive together. Each socket is still checked once per ping interval.
 */
export const PING_SLICES = 10

/** WebSocket close codes the station uses (4000-4999: application codes). */
export const CLOSE = {
  replaced: 4000,
  deleted: 4001,
  tokenRevoked: 4002,
  slowConsumer: 4003,
  tryAgainLater: 1013,
  goingAway: 1001,
} as const

export class DeviceConnections {
  private readonly byDevice = new Map<string, DeviceConnection>()
  private timer: NodeJS.Timeout | undefined
  private slice = 0
  private nextSlot = 0
  private s = { opened: 0, replaced: 0, deadPeers: 0, slowConsumers: 0, sent: 0 }

  constructor(
    private readonly opts: {
      maxConnections: number
      pingIntervalMs: number
      /** Bytes a socket may hold unsent before it is dropped. */
      maxBufferedBytes: number
      onPong?: (c: DeviceConnection) => void
    },
  ) {}

  get size(): number {
    return this.byDevice.size
  }

  /** Room for one more socket? (A device replacing its own socket always has room.) */
  hasRoom(deviceId: string): boolean {
    return this.byDevice.size < this.opts.maxConnections || this.byDevice.has(deviceId)
  }

  /** Registers the device's socket, closing the one it replaces. */
  attach(deviceId: string, socket: WebSocket, via: DeviceConnection['via'], ip: string | null) {
    const previous = this.byDevice.get(deviceId)
    const conn: DeviceConnection = {
      deviceId,
      socket,
      via,
      ip,
      alive: true,
      slot: this.nextSlot++ % PING_SLICES,
    }
    this.byDevice.set(deviceId, conn)
    this.s.opened++
    socket.on('pong', () => {
      conn.alive = true
      this.opts.onPong?.(conn)
    })
    if (previous) {
      this.s.replaced++
      previous.socket.close(CLOSE.replaced, 'replaced by a newer connection')
    }
    return conn
  }

  /** Removes the socket; true when it was the device's current one (not one already replaced). */
  detach(conn: DeviceConnection): boolean {
    if (this.byDevice.get(conn.deviceId) !== conn) return false
    this.byDevice.delete(conn.deviceId)
    return true
  }

  get(deviceId: string): DeviceConnection | undefined {
    return this.byDevice.get(deviceId)
  }

  send(deviceId: string, msg: StationToDevice): boolean {
    const conn = this.byDevice.get(deviceId)
    return conn ? this.sendTo(conn, msg) : false
  }

  sendTo(conn: DeviceConnection, msg: StationToDevice): boolean {
    const { socket } = conn
    if (socket.readyState !== socket.OPEN) return false
    if (socket.bufferedAmount > this.opts.maxBufferedBytes) {
      this.s.slowConsumers++
      socket.terminate()
      return false
    }
    socket.send(JSON.stringify(msg))
    this.s.sent++
    return true
  }

  close(deviceId: string, code: number, reason: string, onlyVia?: DeviceConnection['via']): void {
    const conn = this.byDevice.get(deviceId)
    if (conn && (onlyVia === undefined || conn.via === onlyVia)) conn.socket.close(code, reason)
  }

  startPing(): void {
    this.timer ??= setInterval(() => {
      this.ping(this.slice)
      this.slice = (this.slice + 1) % PING_SLICES
    }, this.opts.pingIntervalMs / PING_SLICES)
    this.timer.unref()
  }

  /**
   * Pings one slice of the sockets (all of them without `slice`), terminating those that did not answer
   * their previous ping.
   */
  ping(slice?: number): void {
    for (const conn of this.byDevice.values()) {
      if (slice !== undefined && conn.slot !== slice) continue
      if (!conn.alive) {
        this.s.deadPeers++
        conn.socket.terminate()
        continue
      }
      conn.alive = false
      conn.socket.ping()
    }
  }

  /** Stops pinging and closes every socket (the station is stopping). */
  closeAll(): void {
    clearInterval(this.timer)
    this.timer = undefined
    for (const conn of this.byDevice.values()) conn.socket.close(CLOSE.goingAway, 'station shutting down')
  }

  stats() {
    return { connections: this.byDevice.size, maxConnections: this.opts.maxConnections, ...this.s }
  }
}
