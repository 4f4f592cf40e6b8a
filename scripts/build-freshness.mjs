// Whether `out/` must be (re)built before `npm run headless` runs it: when a bundle is missing, or when a
// source (src/, except tests) or a build configuration file is newer than the oldest bundle.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The bundles the headless station needs: its entry and the SQLite worker threads (bundles of their own). */
export const BUNDLES = ['headless.js', 'writer-worker.js', 'read-worker.js'].map((f) =>
  join('out', 'main', f),
)
const SOURCE_DIRS = ['src']
const CONFIG_FILES = [
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
]
const isTest = (name) => /\.test\.[cm]?[jt]sx?$/.test(name) || name === 'test-support'

/** The newest file under `dir` (tests excluded): its path and modification time, or undefined. */
function newestIn(dir) {
  let newest
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (isTest(entry.name)) continue
    const path = join(dir, entry.name)
    const found = entry.isDirectory() ? newestIn(path) : { path, mtimeMs: statSync(path).mtimeMs }
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found
  }
  return newest
}

/** Why the build must run (a sentence), or undefined when `out/` is complete and newer than every source. */
export function staleBuildReason(root) {
  const bundles = BUNDLES.map((b) => join(root, b))
  const missing = bundles.find((b) => !existsSync(b))
  if (missing) return `No complete build found (${relative(root, missing)} is missing)`
  const builtAt = Math.min(...bundles.map((b) => statSync(b).mtimeMs))
  const candidates = [
    ...SOURCE_DIRS.filter((d) => existsSync(join(root, d))).map((d) => newestIn(join(root, d))),
    ...CONFIG_FILES.filter((f) => existsSync(join(root, f))).map((f) => ({
      path: join(root, f),
      mtimeMs: statSync(join(root, f)).mtimeMs,
    })),
  ]
  const newer = candidates.filter((c) => c && c.mtimeMs > builtAt).sort((a, b) => b.mtimeMs - a.mtimeMs)[0]
  return newer ? `The build is older than ${relative(root, newer.path)}` : undefined
}
