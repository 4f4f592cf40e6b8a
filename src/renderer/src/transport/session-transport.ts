/**
 * What both transports share: the session token, the live channel built on the transport's own
 * connector, and the "session ended" listeners. Subclasses only say how a request and a live
 * connection travel (IPC or HTTP/WebSocket).
 */
import type { LiveMessage, OperationName } from '../../../shared/contract'
import { LiveChannel, type BackoffOptions, type LiveHandlers } from './live-channel'
import type { StationRequestError } from './types'

export abstract class SessionTransport {
  protected token: string | null = null
  protected readonly live: LiveChannel
  private readonly unauthorized = new Set<() => void>()

  constructor(opts: BackoffOptions) {
    this.live = new LiveChannel((token, handlers) => this.connectLive(token, handlers), opts)
    this.live.onUnauthorized(() => this.emitUnauthorized())
  }

  /** Opens the live connection for `token`; returns how to close it. */
  protected abstract connectLive(token: string, handlers: LiveHandlers): () => void

  setToken(token: string | null): void {
    this.token = token
    this.live.setToken(token)
  }

  subscribe(listener: (msg: LiveMessage) => void): () => void {
    return this.live.subscribe(listener)
  }

  onStatus(listener: Parameters<LiveChannel['onStatus']>[0]): () => void {
    return this.live.onStatus(listener)
  }

  onUnauthorized(listener: () => void): () => void {
    this.unauthorized.add(listener)
    return () => this.unauthorized.delete(listener)
  }

  close(): void {
    this.live.close()
    this.unauthorized.clear()
  }

  /** Throws a refused request; a 401 on a signed-in call means the session ended. */
  protected refuse(op: OperationName, err: StationRequestError): never {
    if (err.status === 401 && this.token && op !== 'auth:login') this.emitUnauthorized()
    throw err
  }

  private emitUnauthorized(): void {
    for (const l of this.unauthorized) l()
  }
}
