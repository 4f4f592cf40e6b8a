/**
 * The Electron entry: hands the real Electron module and this process's facts to the shell. Paths are
 * relative to this bundle (out/main/index.js): the preload and renderer builds sit beside it, the icons
 * in resources/ (inside app.asar in installers).
 */
import * as electron from 'electron'
import { fileURLToPath } from 'node:url'
import { createShell } from './shell'

const outDir = fileURLToPath(new URL('..', import.meta.url))
const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url))

createShell(electron, {
  outDir,
  resourcesDir,
  env: process.env,
  argv: process.argv,
  platform: process.platform,
  arch: process.arch,
  execPath: process.execPath,
  resourcesPath: process.resourcesPath,
  versions: process.versions,
  signals: process,
}).catch((err: unknown) => {
  console.error('Guard Station failed to start', err)
  electron.app.exit(1)
})
