/**
 * Where a database worker thread's code is, and how to start it. Both database workers (the writer,
 * `writer-worker.ts`, and the readers, `read-worker.ts`) are real TypeScript files, found and started the
 * same way:
 *
 * - built (`npm run headless`, the desktop app): electron-vite builds each worker as an input of the main
 *   bundle (`electron.vite.config.ts`), so `<name>.js` sits next to the bundle (shared code may sit in a
 *   `chunks/` folder below it). Inside the packaged app that is in app.asar, which Electron's worker
 *   threads read like the main thread does.
 * - from source (vitest, tsx): Node cannot start a .ts worker by itself, and on Node 20 a worker's
 *   `--import tsx` does not apply to its entry, so the worker runs a small bootstrap that registers tsx's
 *   CommonJS hook and requires the source. The worker files and what they import must therefore load as
 *   CommonJS: no `import.meta`, no top-level await, no ESM-only packages (the test of each worker starts
 *   it this way). tsx's ESM API (`tsImport`) would allow those, but it starts a module-hooks thread in
 *   every worker: about 2.5 times the CPU per start, enough for a station starting three workers to make
 *   parallel test files late enough to be shed as overloaded on a loaded machine.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** How to start a worker thread: a built file, or (from source) a bootstrap that loads the TypeScript. */
export type WorkerEntry = { kind: 'file'; file: string } | { kind: 'source'; file: string; bootstrap: string }

function sourceEntry(file: string, label: string): WorkerEntry {
  let api: string
  try {
    api = createRequire(import.meta.url).resolve('tsx/cjs/api')
  } catch (err) {
    throw new Error(`Cannot run the ${label} from source: tsx's CommonJS API is missing`, { cause: err })
  }
  const bootstrap = `require(${JSON.stringify(api)}).register()
require(${JSON.stringify(file)})`
  return { kind: 'source', file, bootstrap }
}

/**
 * Finds a worker's entry by its base name (`writer-worker`, `read-worker`): the TypeScript source next to
 * this file when running from source, else the built file next to the bundle. `label` names the worker in
 * errors ("SQLite writer worker"). An explicit file wins (a .ts one runs through the bootstrap).
 */
export function resolveWorkerEntry(basename: string, label: string, explicit?: string): WorkerEntry {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new Error(`The ${label} ${explicit} does not exist`)
    return explicit.endsWith('.ts') ? sourceEntry(explicit, label) : { kind: 'file', file: explicit }
  }
  const here = fileURLToPath(import.meta.url)
  const dir = dirname(here)
  if (here.endsWith('.ts')) {
    const source = join(dir, `${basename}.ts`)
    if (!existsSync(source)) throw new Error(`The ${label} source ${source} is missing`)
    return sourceEntry(source, label)
  }
  const candidates = [dir, join(dir, '..')].flatMap((d) =>
    ['.js', '.mjs', '.cjs'].map((ext) => join(d, `${basename}${ext}`)),
  )
  const found = candidates.find((c) => existsSync(c))
  if (!found) {
    throw new Error(
      `The ${label} is missing from the build: looked for ${candidates.join(', ')}. ` +
        `Rebuild the station (npx electron-vite build): src/main/database/${basename}.ts is an input of the main bundle.`,
    )
  }
  return { kind: 'file', file: found }
}

/** Starts a worker thread from its entry. */
export function startWorker(entry: WorkerEntry, options: WorkerOptions): Worker {
  return entry.kind === 'file'
    ? new Worker(entry.file, options)
    : new Worker(entry.bootstrap, { ...options, eval: true })
}
