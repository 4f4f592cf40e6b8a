// Starts the station without Electron: builds first when the build is missing, then runs it under Node.
import { existsSync } from 'node:fs'
import { spawnSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out', 'main', 'headless.js')
// The SQLite worker threads are bundles of their own: a build from before one existed is rebuilt too.
const workers = ['writer-worker.js', 'read-worker.js'].map((f) => join(root, 'out', 'main', f))
if (!existsSync(entry) || !workers.every((w) => existsSync(w))) {
  console.log('No complete build found: building the station (electron-vite build)...')
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
