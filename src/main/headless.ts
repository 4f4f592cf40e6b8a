/** `npm run headless`: the station without Electron. Prints the URL it listens on. */
import { fileURLToPath } from 'node:url'
import { loadEffectiveConfig } from './settings/effective-config'
import { createStation } from './station'
import { STOP_DEADLINE_MS, stopWithin } from './stop-deadline'
import { runVerifyAudit } from './audit/verify-audit'
import { runResetAdminPassword } from './auth/reset-admin-password'
import { StorageFault } from './database/storage-fault'
import { restoreDatabase } from './database/backup'

/** The storage fault behind a failed start, if that is what it was (Fastify may wrap a plugin's error). */
function storageFaultOf(err: unknown): StorageFault | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StorageFault) return e
  }
  return undefined
}

async function main() {
  // Environment variables over the settings admins saved in the station, over the defaults.
  const { config, notes } = loadEffectiveConfig()
  for (const note of notes) process.stderr.write(`Guard station: ${note}\n`)
  // `--verify-audit`: check the audit log's whole hash chain and exit (docs/audit.md).
  if (process.argv.includes('--verify-audit')) {
    process.exit(runVerifyAudit(config.dataDir, (line) => process.stdout.write(`${line}\n`)))
  }
  // `--reset-admin-password`: a new password for user `admin` (STATION_ADMIN_PASSWORD, typed, or generated).
  if (process.argv.includes('--reset-admin-password')) {
    const out = (line: string) => process.stdout.write(`${line}\n`)
    process.exit(
      await runResetAdminPassword(
        { dataDir: config.dataDir, configured: config.adminPassword, nativeBinding: config.nativeBinding },
        out,
      ),
    )
  }
  // `--restore FILE`: replace the database with a backup (the station stopped; docs/storage.md) and exit.
  const restoreAt = process.argv.indexOf('--restore')
  if (restoreAt >= 0) {
    const file = process.argv[restoreAt + 1]
    if (!file) throw new Error('--restore needs the backup file: npm run headless -- --restore FILE')
    const aside = restoreDatabase(config.dataDir, file)
    process.stdout.write(
      `Restored ${file} into ${config.dataDir}${aside ? `; the previous database is kept as ${aside}` : ''}\n`,
    )
    process.exit(0)
  }
  // The built renderer sits next to the bundle (out/renderer): serve it for browser mode.
  config.rendererDir ??= fileURLToPath(new URL('../renderer/', import.meta.url))
  const station = await createStation(config)
  const { url } = await station.start()
  // The headless and desktop defaults differ (README, "Data folder"): say which one this run uses.
  process.stdout.write(`Guard station data folder: ${config.dataDir}\n`)
  process.stdout.write(
    `Guard station listening on ${url}${config.host === '0.0.0.0' ? ' (all interfaces)' : ''}\n`,
  )

  let signals = 0
  const shutdown = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      station.app.log.warn({ signal }, 'second signal: exiting without waiting')
      process.exit(1)
    }
    station.app.log.info({ signal }, 'shutting down')
    stopWithin(() => station.stop(), STOP_DEADLINE_MS).then(
      (how) => {
        if (how === 'timeout') station.app.log.error({}, 'the station did not stop in time: exiting')
        process.exit(how === 'stopped' ? 0 : 1)
      },
      (err) => {
        station.app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((err) => {
  const fault = storageFaultOf(err)
  if (fault) {
    // A database the station must not use (README, "Storage faults"): its own exit code, nothing written.
    process.stderr.write(`Guard station cannot use its database: ${fault.message}\n`)
    process.exit(fault.exitCode)
  }
  process.stderr.write(`Guard station failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
