// Before `npm start`: the desktop app needs Electron's binary (not downloaded by `npm install`, which
// reaches only the npm registry) and better-sqlite3 built for Electron (beside the Node build).
// Says what is missing instead of Electron's own confusing errors; builds the native module if needed.
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The Electron executable, or undefined when it was never downloaded (no network access to it here). */
export function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const rel = readFileSync(pathFile, 'utf8').trim()
  const full = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel)
    : join(pkg, 'dist', rel)
  return existsSync(full) ? full : undefined
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!electronBinary()) {
    console.error(
      "Electron's binary is not installed (npm install does not download it).\n" +
        'Run `npx install-electron` once (it downloads Electron from its GitHub releases), then `npm start` again.\n' +
        'Without Electron, `npm run headless` runs the same station and serves the UI to any browser.',
    )
    process.exit(1)
  }
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-native-electron.mjs')], {
    stdio: 'inherit',
  })
  process.exit(built.status ?? 1)
}
