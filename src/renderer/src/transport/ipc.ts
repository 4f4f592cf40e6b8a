/**
 * Desktop-mode transport: requests and live messages go through the preload's `window.station`
 * bridge to the main process, which serves them by calling the station core in-process.
 */
import type { ArgsOf, OperationName, ResultOf, StationBridge } from '../../../shared/contract'
import type { BackoffOptions, LiveHandlers } from './live-channel'
import { SessionTransport } from './session-transport'
import { StationRequestError, type Transport } from './types'

export class IpcTransport extends SessionTransport implements Transport {
  readonly kind = 'ipc' as const

  constructor(
    private readonly bridge: StationBridge,
    opts: BackoffOptions = {},
  ) {
    super(opts)
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
      this.refuse(op, new StationRequestError(res.status, res.code, res.message))
    }
    return res.data
  }

  protected connectLive(token: string, h: LiveHandlers): () => void {
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
