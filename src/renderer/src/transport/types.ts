/**
 * The renderer's transport: how the UI reaches the station. Two implementations satisfy it: `web`
 * (HTTP + `/ws/live`, browser mode) and `ipc` (the preload's `window.station` bridge, desktop mode).
 * Components and stores only ever see this interface.
 */
import type { ArgsOf, LiveMessage, OperationName, ResultOf } from '../../../shared/contract'

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting'

export interface LiveStatus {
  state: ConnectionState
  /** Reconnect attempts since the channel was last open. */
  attempt: number
  /** When the channel last opened or received a message (ms since epoch), or null. */
  lastMessageAt: number | null
  /** When the next reconnect attempt is due, while reconnecting. */
  retryAt: number | null
  error: string | null
}

export interface Transport {
  readonly kind: 'web' | 'ipc'
  /** The session the transport presents (null when signed out). Live starts with a session, stops without. */
  setToken(token: string | null): void
  request<K extends OperationName>(op: K, args: ArgsOf<K>): Promise<ResultOf<K>>
  /** Live messages while a session is set; returns the unsubscribe function. */
  subscribe(listener: (msg: LiveMessage) => void): () => void
  onStatus(listener: (status: LiveStatus) => void): () => void
  /** Called when the station refuses the session (expired, revoked). */
  onUnauthorized(listener: () => void): () => void
  close(): void
}

/** A request the station (or the way to it) refused. `status` 0 means the station was not reached. */
export class StationRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'StationRequestError'
  }
}

export const NO_ARGS = {} as Record<string, never>
