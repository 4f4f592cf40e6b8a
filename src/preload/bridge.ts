/**
 * The object the preload exposes as `window.station`, built over `ipcRenderer` (passed in, so tests run
 * it over a fake IPC pair). `request` only sends the contract's operation names; `onLive` listeners get
 * live messages and states, never the raw IPC event.
 */
import {
  IPC_CHANNELS,
  isOperationName,
  type IpcResult,
  type LiveBridgeState,
  type LiveMessage,
  type StationBridge,
} from '../shared/contract'

/** The parts of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  send(channel: string, ...args: unknown[]): void
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's own listener signature
  on(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown
}

interface LiveListener {
  message: (msg: LiveMessage) => void
  state: (state: LiveBridgeState) => void
}

export function createBridge(ipc: IpcRendererLike): StationBridge {
  const live = new Map<number, LiveListener>()
  let nextSubId = 1

  ipc.on(IPC_CHANNELS.live, (_event, payload: { subId: number; messages: LiveMessage[] }) => {
    const l = live.get(payload.subId)
    if (l) for (const msg of payload.messages) l.message(msg)
  })
  ipc.on(IPC_CHANNELS.liveState, (_event, payload: { subId: number; state: LiveBridgeState }) => {
    const l = live.get(payload.subId)
    if (!l) return
    if (payload.state.state === 'closed') live.delete(payload.subId)
    l.state(payload.state)
  })

  return {
    kind: 'ipc',
    request(op, args, token) {
      if (!isOperationName(op)) return Promise.reject(new Error(`unknown operation ${String(op)}`))
      return ipc.invoke(IPC_CHANNELS.request, op, args, token) as Promise<IpcResult<never>>
    },
    onLive(token, listener, onState) {
      const subId = nextSubId++
      live.set(subId, { message: listener, state: onState })
      ipc.send(IPC_CHANNELS.liveStart, subId, token)
      return () => {
        if (!live.delete(subId)) return
        ipc.send(IPC_CHANNELS.liveStop, subId)
      }
    },
    focusWindow() {
      ipc.send(IPC_CHANNELS.focusWindow)
    },
  } satisfies StationBridge
}
