/**
 * The desktop app's IPC: the station's contract channels (src/main/ipc/register.ts, which checks the
 * frame and the payload of every call) behind one more gate: the sender must be a window this app
 * created. A call from any other webContents is refused before it reaches the station.
 */
import type { FastifyInstance } from 'fastify'
import { IpcGuardError } from '../ipc/guard'
import { registerStationIpc, type IpcEventLike, type IpcMainLike } from '../ipc/register'
import type { AppOrigin } from './app-origin'

export interface DesktopIpcOptions {
  ipcMain: IpcMainLike
  app: Pick<FastifyInstance, 'inject' | 'auth' | 'live' | 'connections'>
  origin: AppOrigin
  /** Whether a webContents id belongs to a window the app created. */
  isTrustedSender(id: number): boolean
  log: { warn(obj: object, msg: string): void }
}

/** An ipcMain whose listeners only ever see events from the app's own windows. */
export function trustedIpcMain(
  ipcMain: IpcMainLike,
  isTrustedSender: (id: number) => boolean,
  log: DesktopIpcOptions['log'],
): IpcMainLike {
  const trusted = (event: IpcEventLike, channel: string) => {
    if (isTrustedSender(event.sender.id)) return true
    log.warn({ channel, sender: event.sender.id }, 'IPC refused: not a window of this app')
    return false
  }
  return {
    handle(channel, listener) {
      ipcMain.handle(channel, (event, ...args) => {
        if (!trusted(event, channel)) throw new IpcGuardError('refused: not a window of this app')
        return listener(event, ...args)
      })
    },
    removeHandler: (channel) => ipcMain.removeHandler(channel),
    on(channel, listener) {
      return ipcMain.on(channel, (event, ...args) => {
        if (trusted(event, channel)) listener(event, ...args)
      })
    },
    removeAllListeners: (channel) => ipcMain.removeAllListeners(channel),
  }
}

/** Registers the contract's channels; returns the function that removes them (at quit). */
export function registerDesktopIpc(opts: DesktopIpcOptions): () => void {
  return registerStationIpc({
    ipcMain: trustedIpcMain(opts.ipcMain, opts.isTrustedSender, opts.log),
    app: opts.app,
    isOwnPage: (url) => opts.origin.isOwnPage(url),
    log: opts.log,
  })
}
