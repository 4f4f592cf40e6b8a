// Builds better-sqlite3 for Electron's ABI into native/electron/<platform>-<arch>/better_sqlite3.node,
// from a copy of node_modules/better-sqlite3: the Node build in node_modules (tests, `npm run headless`)
// is never touched. The desktop app loads this build (src/main/electron/native-binding.ts) and the
// installers ship it (electron-builder.yml extraResources).
//
//   node scripts/build-native-electron.mjs [--arch x64,arm64] [--force]
//
// It needs what @electron/rebuild needs: Electron's prebuilt better-sqlite3 (downloaded by
// prebuild-install from the project's GitHub releases) or, failing that, Electron's headers
// (electronjs.org) and a C++ toolchain. Neither is an `npm install` step.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const flag = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const force = args.includes('--force')
// A macOS dmg holds x64 and arm64 builds: build both there by default.
const arches = (flag('--arch') ?? (process.platform === 'darwin' ? 'x64,arm64' : process.arch)).split(',')
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version
const sqlite = join(root, 'node_modules/better-sqlite3')
const sqliteVersion = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')).version

// An npm `nodedir` setting (as on machines that build against local Node headers) would make node-gyp
// build against Node's headers instead of Electron's: the result would not load in Electron.
for (const name of Object.keys(process.env)) {
  if (name.toLowerCase() === 'npm_config_nodedir') delete process.env[name]
}

/** A module built for Electron's ABI does not load in Node: if it does, the build used the wrong headers. */
function loadsInNode(file) {
  const probe = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], { encoding: 'utf8' })
  return probe.status === 0
}

const { rebuild } = await import('@electron/rebuild')

for (const arch of arches) {
  const target = join(root, 'native', 'electron', `${process.platform}-${arch}`)
  const stamp = join(target, 'build.json')
  const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch }
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(wanted)) {
    console.log(
      `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} ${process.platform}-${arch}: up to date`,
    )
    continue
  }
  // A staging copy inside the project, so prebuild-install and node-gyp resolve from node_modules.
  const staging = join(root, 'native', '.build', `${process.platform}-${arch}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(join(staging, 'node_modules'), { recursive: true })
  cpSync(sqlite, join(staging, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.startsWith(join(sqlite, 'build')),
  })
  writeFileSync(
    join(staging, 'package.json'),
    JSON.stringify({
      name: 'native-staging',
      version: '0.0.0',
      private: true,
      dependencies: { 'better-sqlite3': sqliteVersion },
    }),
  )
  console.log(
    `building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} ${process.platform}-${arch}...`,
  )
  try {
    await rebuild({
      buildPath: staging,
      electronVersion,
      arch,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    })
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    console.error(
      `\nCould not build better-sqlite3 for Electron ${electronVersion} (${process.platform}-${arch}): ${err.message}\n` +
        "This step downloads Electron's prebuilt better-sqlite3 or Electron's headers (github.com,\n" +
        'electronjs.org): it needs that network access and, without a prebuilt, a C++ toolchain.',
    )
    process.exit(1)
  }
  const built = join(staging, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
  if (!existsSync(built)) throw new Error(`the build left no ${built}`)
  if (loadsInNode(built)) {
    rmSync(staging, { recursive: true, force: true })
    console.error(
      `\nThe build of ${built} loads in Node ${process.version}: it was built against Node's headers, not Electron's.`,
    )
    process.exit(1)
  }
  mkdirSync(target, { recursive: true })
  cpSync(built, join(target, 'better_sqlite3.node'))
  writeFileSync(stamp, JSON.stringify(wanted))
  rmSync(staging, { recursive: true, force: true })
  console.log(`  -> ${join(target, 'better_sqlite3.node')}`)
}
