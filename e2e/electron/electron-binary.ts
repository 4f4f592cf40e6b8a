/**
 * Where Electron's executable is, if it was ever downloaded. `npm install` reaches only the npm registry
 * and the electron package's binary comes from Electron's GitHub releases (`npx install-electron`), so
 * on machines like this project's CI there is none. Requiring `electron` would try to download it:
 * this only looks.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export function electronBinary(): string | undefined {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const rel = readFileSync(pathFile, 'utf8').trim()
  const full = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel)
    : join(pkg, 'dist', rel)
  return existsSync(full) ? full : undefined
}

export const NO_ELECTRON_REASON =
  "no Electron binary on this machine: npm install reaches only the npm registry and Electron's binary " +
  'comes from its GitHub releases (run `npx install-electron` where that is reachable). The same station ' +
  'and UI run headless and in Chromium in the other specs; the shell is unit-tested with an Electron double.'
