/** The parent side of the load agent: forks bench/load-agent.ts and sends it commands over IPC. */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { AgentCommand } from './load-agent'

export class LoadAgent {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(msg.id)
      if (!w) return
      this.waiting.delete(msg.id)
      if (msg.ok) w.resolve(msg.result)
      else w.reject(new Error(msg.error))
    })
    child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load agent exited (${code ?? signal})`))
      this.waiting.clear()
    })
  }

  static start(): LoadAgent {
    const entry = fileURLToPath(new URL('./load-agent.ts', import.meta.url))
    // Inherits tsx's loader through process.execArgv.
    return new LoadAgent(fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  call<T>(cmd: AgentCommand): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.send({ id, cmd })
    })
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect()
  }
}
