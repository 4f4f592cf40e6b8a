/**
 * The benchmark's load generator, run as a child process so it never shares the station's event loop
 * (or its file-descriptor budget). It takes commands over IPC from bench/run.ts and answers each one.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import WebSocket from 'ws'
import { runHttpLoad, type HttpLoadSpec } from './http-load'
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/main/simulator/simulator'

export type AgentCommand =
  | { kind: 'http'; spec: HttpLoadSpec }
  | { kind: 'sim-start'; opts: Partial<SimulatorOptions> & { key: string }; readyTimeoutMs: number }
  | { kind: 'sim-stats' }
  | { kind: 'sim-reset' }
  | { kind: 'sim-stop' }
  | { kind: 'live-open'; url: string; count: number; deflate: boolean }
  | { kind: 'live-stats' }
  | { kind: 'live-close' }

let sim: Simulator | undefined
const live = { sockets: [] as { ws: WebSocket; socket?: Socket }[], messages: 0 }

function openLive(url: string, deflate: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate })
    const entry: { ws: WebSocket; socket?: Socket } = { ws }
    ws.on('upgrade', (res: IncomingMessage) => (entry.socket = res.socket))
    ws.on('open', () => {
      live.sockets.push(entry)
      resolve(true)
    })
    ws.on('message', () => live.messages++)
    ws.on('error', () => resolve(false))
    ws.on('unexpected-response', (req, res) => {
      req.destroy()
      res.resume()
      resolve(false)
    })
  })
}

async function handle(cmd: AgentCommand): Promise<unknown> {
  switch (cmd.kind) {
    case 'http':
      return runHttpLoad(cmd.spec)
    case 'sim-start': {
      sim = startSimulator(cmd.opts)
      await sim.ready(cmd.readyTimeoutMs)
      return sim.stats()
    }
    case 'sim-stats':
      return sim?.stats()
    case 'sim-reset':
      sim?.resetLatency()
      return true
    case 'sim-stop': {
      const s = await sim?.stop()
      sim = undefined
      return s
    }
    case 'live-open': {
      let opened = 0
      for (let i = 0; i < cmd.count; i += 20) {
        const batch = Array.from({ length: Math.min(20, cmd.count - i) }, () =>
          openLive(cmd.url, cmd.deflate),
        )
        opened += (await Promise.all(batch)).filter(Boolean).length
      }
      return { opened }
    }
    case 'live-stats':
      return {
        messages: live.messages,
        bytesRead: live.sockets.reduce((n, s) => n + (s.socket?.bytesRead ?? 0), 0),
        open: live.sockets.filter((s) => s.ws.readyState === WebSocket.OPEN).length,
      }
    case 'live-close': {
      await Promise.all(
        live.sockets.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.ws.readyState === WebSocket.CLOSED) return resolve()
              s.ws.once('close', () => resolve())
              s.ws.close()
              setTimeout(() => {
                s.ws.terminate()
                resolve()
              }, 2000).unref()
            }),
        ),
      )
      live.sockets = []
      live.messages = 0
      return true
    }
  }
}

process.on('message', (msg: { id: number; cmd: AgentCommand }) => {
  handle(msg.cmd).then(
    (result) => process.send?.({ id: msg.id, ok: true, result }),
    (err: unknown) =>
      process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  )
})
process.on('disconnect', () => process.exit(0))
