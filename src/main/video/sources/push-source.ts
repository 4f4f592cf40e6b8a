/**
 * A push camera sends its frames to the station (HTTP POST per frame, or binary WebSocket messages); the
 * route hands each validated frame to the channel. There is no connection to manage: the camera is online
 * while frames arrive. At most one WebSocket per camera: a new one replaces the old (a rebooted camera
 * reconnects before the station notices the old socket is dead).
 */
import type { CameraSource, SourceInfo } from './source'

export interface PushConnection {
  close(code: number, reason: string): void
}

export class PushSource implements CameraSource {
  readonly kind = 'push' as const
  readonly media = 'jpeg' as const
  readonly pull = false
  private socket: PushConnection | undefined

  start(): void {}

  stop(): void {
    this.socket?.close(1001, 'camera removed or changed')
    this.socket = undefined
  }

  /** Registers a camera WebSocket, closing the one it replaces. */
  attach(socket: PushConnection): void {
    if (this.socket && this.socket !== socket) this.socket.close(4000, 'replaced by a newer connection')
    this.socket = socket
  }

  detach(socket: PushConnection): void {
    if (this.socket === socket) this.socket = undefined
  }

  info(): SourceInfo {
    return {
      status: this.socket ? 'connected' : 'stopped',
      lastError: null,
      nextRetryAt: null,
      reconnects: 0,
      connections: this.socket ? 1 : 0,
    }
  }
}
