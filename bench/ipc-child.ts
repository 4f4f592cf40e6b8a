/**
 * A forked helper process of the benchmark (the load agent, the RTSP load), driven by commands over IPC:
 * each `call` sends `{ id, cmd }` and resolves with the child's `{ id, ok, result | error }` answer; every
 * call still waiting is refused when the child exits.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export class IpcChild<Command> {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()

  private constructor(
    readonly child: ChildProcess,
    name: string,
  ) {
    child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(msg.id)
      if (!w) return
      this.waiting.delete(msg.id)
      if (msg.ok) w.resolve(msg.result)
      else w.reject(new Error(msg.error))
    })
    child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${name} exited (${code ?? signal})`))
      this.waiting.clear()
    })
  }

  /** Forks `entry` (a URL relative to the caller, e.g. `new URL('./load.ts', import.meta.url)`). */
  static fork<C>(entry: URL, name: string): IpcChild<C> {
    // Inherits tsx's loader through process.execArgv.
    const child = fork(fileURLToPath(entry), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    return new IpcChild<C>(child, name)
  }

  call<T>(cmd: Command): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.send({ id, cmd })
    })
  }
}
