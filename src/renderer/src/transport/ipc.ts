/**
 * Desktop-mode transport: requests and live messages go through the preload's `window.station`
 * bridge to the main process, which serves them by calling the station core in-process.
 */
import type { ArgsOf, LiveMessage, OperationName, ResultOf, StationBridge } from '../../../shared/contract'
import { LiveChannel, type BackoffOptions, type LiveConnector } from './live-channel'
import { StationRequestError, type Transport } from './types'

export class IpcTransport implements Transport {
  readonly kind = 'ipc' as const
  private token: string | null = null
  private readonly live: LiveChannel
  private readonly unauthorized = new Set<() => void>()

  constructor(
    private readonly bridge: StationBridge,
    opts: BackoffOptions = {},
  ) {
    this.live = new LiveChannel(this.connector, opts)
    this.live.onUnauthorized(() => this.emitUnauthorized())
  }

  setToken(token: string | null): void {
    this.token = token
    this.live.setToken(token)
  }

  async request<K extends OperationName>(op: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    let res
    try {
      res = await this.bridge.request(op, args, this.token)
    } catch (err) {
      throw new StationRequestError(
        0,
        'IPC',
        `The station refused the call (${err instanceof Error ? err.message : String(err)})`,
      )
    }
    if (!res.ok) {
      if (res.status === 401 && this.token && op !== 'auth:login') this.emitUnauthorized()
      throw new StationRequestError(res.status, res.code, res.message)
    }
    return res.data
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

  private emitUnauthorized(): void {
    for (const l of this.unauthorized) l()
  }

  private readonly connector: LiveConnector = (token, h) => {
    let done = false
    const unsubscribe = this.bridge.onLive(
      token,
      (msg) => {
        if (!done) h.message(msg)
      },
      (state) => {
        if (done) return
        if (state.state === 'open') return h.open()
        done = true
        h.closed({ reason: state.reason, unauthorized: state.code === 4401 })
      },
    )
    return () => {
      done = true
      unsubscribe()
    }
  }
}
