// Starts the station without Electron: builds first when the build is missing or older than the sources,
// then runs it under Node.
import { spawnSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { staleBuildReason } from './build-freshness.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out', 'main', 'headless.js')
// The worker bundles count too; a source or build configuration newer than the build rebuilds it.
const stale = staleBuildReason(root)
if (stale) {
  console.log(`${stale}: building the station (electron-vite build)...`)
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
