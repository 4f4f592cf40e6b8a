/**
 * Runs bench/station-process.ts in a child process under plain Node (bundled with esbuild, dependencies
 * left in node_modules), as a station would run in production: no TypeScript loader in its memory.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export interface ChildStation {
  url: string
  pid: number
  mem(): Promise<NodeJS.MemoryUsage>
  /** Event-loop delay p99 (ms) since the previous call. */
  lag(): Promise<number>
  count(): Promise<number>
  stop(): Promise<void>
}

const root = fileURLToPath(new URL('..', import.meta.url))

async function bundle(): Promise<string> {
  // esbuild comes with tsx (which runs the benchmark).
  const { build } = await import('esbuild')
  const outDir = join(root, 'node_modules', '.cache', 'guard-station-bench')
  mkdirSync(outDir, { recursive: true })
  // The station's SQLite writer and reader threads are entries of their own, found next to the bundle.
  await build({
    entryPoints: {
      'station-process': join(root, 'bench', 'station-process.ts'),
      'writer-worker': join(root, 'src', 'main', 'database', 'writer-worker.ts'),
      'read-worker': join(root, 'src', 'main', 'database', 'read-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  })
  return join(outDir, 'station-process.mjs')
}

export async function startChildStation(env: Record<string, string>): Promise<ChildStation> {
  const entry = await bundle()
  const child: ChildProcess = fork(entry, [], {
    execArgv: [],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  let nextId = 1
  const waiting = new Map<number, (v: unknown) => void>()
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`station process exited (${code})`)))
    child.on('message', (msg: { id: number; result: unknown }) => {
      if (msg.id === 0) resolve(msg.result as string)
      waiting.get(msg.id)?.(msg.result)
      waiting.delete(msg.id)
    })
  })
  const ask = <T>(kind: 'mem' | 'lag' | 'count' | 'stop') =>
    new Promise<T>((resolve) => {
      const id = nextId++
      waiting.set(id, resolve as (v: unknown) => void)
      child.send({ id, kind })
    })
  return {
    url,
    pid: child.pid ?? 0,
    mem: () => ask('mem'),
    lag: () => ask('lag'),
    count: () => ask('count'),
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      const bound = (ms: number) => new Promise((r) => setTimeout(r, ms).unref())
      // A station that does not stop within 30 s is killed: the benchmark must end.
      await Promise.race([ask('stop'), exited, bound(30_000)])
      await Promise.race([exited, bound(5000)])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
