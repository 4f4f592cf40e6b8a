/**
 * Wires the contract's IPC channels to the station. The Electron shell calls `registerStationIpc` with
 * its `ipcMain`; this module only sees the structural parts of Electron's API it uses, so the station
 * core never imports electron and the wiring is tested with fakes.
 */
import type { FastifyInstance } from 'fastify'
import { IPC_CHANNELS, type LiveBridgeState, type LiveMessage } from '../../shared/contract'
import { createDispatcher } from './dispatcher'
import { checkLiveStart, checkRequest, checkSender, type SenderFrame } from './guard'
import { createLiveBridge } from './live-bridge'

export interface SenderLike {
  readonly id: number
  send(channel: string, payload: unknown): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
  on(event: 'did-navigate', listener: () => void): unknown
}
export interface IpcEventLike {
  sender: SenderLike
  senderFrame: SenderFrame | null
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
  removeAllListeners(channel: string): unknown
}

export interface StationIpcOptions {
  ipcMain: IpcMainLike
  app: Pick<FastifyInstance, 'inject' | 'auth' | 'live' | 'connections'>
  /** Whether a URL is the station's own page (the only page allowed to call). */
  isOwnPage(url: string): boolean
  log?: { warn(obj: object, msg: string): void }
}

export function registerStationIpc(opts: StationIpcOptions): () => void {
  const { ipcMain, isOwnPage } = opts
  const dispatch = createDispatcher(opts.app)
  const live = createLiveBridge(opts.app)
  /** Open live subscriptions per sender: `${senderId}:${subId}` → close. */
  const subs = new Map<string, () => void>()
  const watched = new Set<number>()

  const closeSender = (senderId: number) => {
    for (const [key, close] of subs) {
      if (key.startsWith(`${senderId}:`)) {
        subs.delete(key)
        close()
      }
    }
  }

  ipcMain.handle(IPC_CHANNELS.request, async (event, op, args, token) => {
    checkSender(event, isOwnPage)
    const req = checkRequest(op, args, token)
    return dispatch(req.op, req.args as never, req.token)
  })

  ipcMain.on(IPC_CHANNELS.liveStart, (event, subIdArg, tokenArg) => {
    try {
      checkSender(event, isOwnPage)
      const { subId, token } = checkLiveStart(subIdArg, tokenArg)
      const sender = event.sender
      const key = `${sender.id}:${subId}`
      subs.get(key)?.()
      if (!watched.has(sender.id)) {
        watched.add(sender.id)
        sender.once('destroyed', () => {
          watched.delete(sender.id)
          closeSender(sender.id)
        })
        // A reload or navigation starts a new page: the old page's subscriptions end with it.
        sender.on('did-navigate', () => closeSender(sender.id))
      }
      const send = (channel: string, payload: unknown) => {
        if (!sender.isDestroyed()) sender.send(channel, payload)
      }
      let ended = false
      const close = live.subscribe(token, {
        messages: (messages: LiveMessage[]) => send(IPC_CHANNELS.live, { subId, messages }),
        state: (state: LiveBridgeState) => {
          if (state.state === 'closed') {
            ended = true
            subs.delete(key)
          }
          send(IPC_CHANNELS.liveState, { subId, state })
        },
      })
      if (!ended) subs.set(key, close)
    } catch (err) {
      opts.log?.warn({ err }, 'live subscription refused')
    }
  })

  ipcMain.on(IPC_CHANNELS.liveStop, (event, subIdArg) => {
    if (typeof subIdArg !== 'number') return
    const key = `${event.sender.id}:${subIdArg}`
    subs.get(key)?.()
    subs.delete(key)
  })

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.request)
    ipcMain.removeAllListeners(IPC_CHANNELS.liveStart)
    ipcMain.removeAllListeners(IPC_CHANNELS.liveStop)
    for (const close of subs.values()) close()
    subs.clear()
  }
}
