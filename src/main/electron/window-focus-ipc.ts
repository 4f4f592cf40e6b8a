/**
 * The desk asks for the window (a critical alarm came in and the guard wants it in front): one
 * fire-and-forget channel, no arguments, accepted only from the main frame of the app's own page in a
 * window the app created. Bursts are bounded: at most one raise per `minIntervalMs`.
 */
import { IPC_CHANNELS } from '../../shared/contract'
import { checkSender, IpcGuardError } from '../ipc/guard'
import type { IpcMainLike } from '../ipc/register'
import { trustedIpcMain } from './desktop-ipc'

export interface FocusIpcOptions {
  ipcMain: IpcMainLike
  isTrustedSender(id: number): boolean
  isOwnPage(url: string): boolean
  /** Shows, restores and focuses the main window. */
  focus(): void
  log: { warn(obj: object, msg: string): void }
  minIntervalMs?: number
  now?: () => number
}

export function registerFocusIpc(opts: FocusIpcOptions): () => void {
  const ipc = trustedIpcMain(opts.ipcMain, opts.isTrustedSender, opts.log)
  const minInterval = opts.minIntervalMs ?? 2000
  const now = opts.now ?? Date.now
  let last = Number.NEGATIVE_INFINITY
  ipc.on(IPC_CHANNELS.focusWindow, (event, ...args) => {
    try {
      checkSender(event, opts.isOwnPage)
      if (args.length > 0) throw new IpcGuardError('refused: the focus request takes no arguments')
    } catch (err) {
      opts.log.warn({ channel: IPC_CHANNELS.focusWindow, err }, 'IPC refused')
      return
    }
    const t = now()
    if (t - last < minInterval) return
    last = t
    opts.focus()
  })
  return () => opts.ipcMain.removeAllListeners(IPC_CHANNELS.focusWindow)
}
