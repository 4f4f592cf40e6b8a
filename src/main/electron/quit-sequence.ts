/**
 * Quitting, from the tray, the menu, the OS or SIGTERM/SIGINT: hold the quit, stop taking IPC calls,
 * then stop the station (refuse new requests, flush every write queue, close the database), then exit.
 * A station that does not stop within the time limit is left with exit code 1 rather than hanging.
 */
import type { AppLike } from './electron-api'

export interface QuitSequenceOptions {
  app: Pick<AppLike, 'on' | 'exit'>
  signals: { on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown }
  /** Quits the app (so signals go through the same before-quit path). */
  quit(): void
  /** Runs first: stop IPC, the tray, timers; let the window close. */
  beforeStop(): void
  /** Stops the station: refuses new work, flushes the queues, closes the database. */
  stop(): Promise<void>
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }
  timeoutMs?: number
}

export interface QuitSequence {
  /** Resolves with the exit code once the app exits. */
  readonly exited: Promise<number>
}

export function installQuitSequence(opts: QuitSequenceOptions): QuitSequence {
  let state: 'running' | 'stopping' | 'done' = 'running'
  let resolveExit!: (code: number) => void
  const exited = new Promise<number>((resolve) => (resolveExit = resolve))

  const finish = (code: number) => {
    state = 'done'
    resolveExit(code)
    opts.app.exit(code)
  }

  opts.app.on('before-quit', (event) => {
    if (state === 'done') return
    event.preventDefault()
    if (state === 'stopping') return
    state = 'stopping'
    opts.log.info({}, 'quitting: stopping the station (flushing queues, closing the database)')
    try {
      opts.beforeStop()
    } catch (err) {
      opts.log.error({ err }, 'quit: closing the shell failed')
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? 30_000)
    })
    Promise.race([opts.stop().then(() => 'stopped' as const), timeout]).then(
      (how) => {
        clearTimeout(timer)
        if (how === 'timeout') opts.log.error({}, 'quit: the station did not stop in time')
        else opts.log.info({}, 'station stopped: exiting')
        finish(how === 'stopped' ? 0 : 1)
      },
      (err: unknown) => {
        clearTimeout(timer)
        opts.log.error({ err }, 'quit: stopping the station failed')
        finish(1)
      },
    )
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    opts.signals.on(signal, () => {
      opts.log.info({ signal }, 'signal received: quitting')
      opts.quit()
    })
  }
  return { exited }
}
