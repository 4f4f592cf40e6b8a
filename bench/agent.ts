/** The parent side of the load agent: forks bench/load-agent.ts and sends it commands over IPC. */
import { IpcChild } from './ipc-child'
import type { AgentCommand } from './load-agent'

export class LoadAgent {
  private constructor(private readonly ipc: IpcChild<AgentCommand>) {}

  static start(): LoadAgent {
    return new LoadAgent(
      IpcChild.fork<AgentCommand>(new URL('./load-agent.ts', import.meta.url), 'load agent'),
    )
  }

  private get child() {
    return this.ipc.child
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  call<T>(cmd: AgentCommand): Promise<T> {
    return this.ipc.call<T>(cmd)
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect()
  }
}
