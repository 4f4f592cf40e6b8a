/**
 * Which better-sqlite3 native module the desktop app loads. node_modules keeps the build for Node (tests,
 * `npm run headless`); the build for Electron's ABI lives beside it, made by `npm run rebuild:electron`
 * into `native/electron/<platform>-<arch>/`, and is copied into installers as
 * `resources/native/better_sqlite3.node` (electron-builder.yml). Neither build replaces the other.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const NATIVE_FILE = 'better_sqlite3.node'

export interface NativeBindingOptions {
  isPackaged: boolean
  /** process.resourcesPath in the packaged app. */
  resourcesPath: string | undefined
  /** The app's folder (the project root in development). */
  appPath: string
  platform: NodeJS.Platform
  arch: string
  exists?: (path: string) => boolean
}

/** The path to load, or undefined to use node_modules' own build. */
export function nativeBindingPath(opts: NativeBindingOptions): string | undefined {
  const exists = opts.exists ?? existsSync
  const candidate =
    opts.isPackaged && opts.resourcesPath
      ? join(opts.resourcesPath, 'native', NATIVE_FILE)
      : join(opts.appPath, 'native', 'electron', `${opts.platform}-${opts.arch}`, NATIVE_FILE)
  return exists(candidate) ? candidate : undefined
}

/** A native module built for another runtime fails to load with this in its message. */
export function isAbiMismatch(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err)
  return /NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/i.test(
    msg,
  )
}
