/**
 * A fake pair of Electron's ipcMain and ipcRenderer for one page, good enough to run the real preload
 * bridge against the real main-side registration: invoke/handle, send/on, and webContents.send.
 */
import type { IpcRendererLike } from '../../preload/bridge'
import type { IpcEventLike, IpcMainLike, SenderLike } from './register'

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown
type RendererListener = (event: unknown, ...args: unknown[]) => void

export interface FakePage {
  ipcMain: IpcMainLike
  ipcRenderer: IpcRendererLike
  /** The frame the page's calls come from (change it to act as a foreign or child frame). */
  frame: { url: string; parent: unknown }
  destroy(): void
  navigate(): void
}

export function fakeElectron(pageUrl: string): FakePage {
  const handlers = new Map<string, Handler>()
  const mainListeners = new Map<string, Handler[]>()
  const rendererListeners = new Map<string, RendererListener[]>()
  const senderEvents = new Map<string, (() => void)[]>()
  let destroyed = false
  const frame = { url: pageUrl, parent: null as unknown }
  // Structured clone, as IPC does: nothing but data crosses.
  const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v))

  const sender: SenderLike = {
    id: 1,
    send(channel, payload) {
      for (const l of rendererListeners.get(channel) ?? []) l({ fake: 'event' }, clone(payload))
    },
    isDestroyed: () => destroyed,
    once(event, listener) {
      senderEvents.set(event, [...(senderEvents.get(event) ?? []), listener])
    },
    on(event, listener) {
      senderEvents.set(event, [...(senderEvents.get(event) ?? []), listener])
    },
  }
  const event = (): IpcEventLike => ({ sender, senderFrame: destroyed ? null : { ...frame } })

  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel) => void handlers.delete(channel),
    on(channel, listener) {
      mainListeners.set(channel, [...(mainListeners.get(channel) ?? []), listener])
    },
    removeAllListeners: (channel) => void mainListeners.delete(channel),
  }

  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const h = handlers.get(channel)
      if (!h) throw new Error(`No handler registered for '${channel}'`)
      return clone(await h(event(), ...args.map(clone)))
    },
    send(channel, ...args) {
      for (const l of mainListeners.get(channel) ?? []) l(event(), ...args.map(clone))
    },
    on(channel, listener) {
      rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener])
    },
  }

  return {
    ipcMain,
    ipcRenderer,
    frame,
    destroy() {
      destroyed = true
      for (const l of senderEvents.get('destroyed') ?? []) l()
    },
    navigate() {
      for (const l of senderEvents.get('did-navigate') ?? []) l()
    },
  }
}
