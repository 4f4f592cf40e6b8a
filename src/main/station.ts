/**
 * The station core: the same code runs headless under Node and inside Electron's main process.
 * It never imports electron.
 */
import type { Socket } from 'node:net'
import type { FastifyServerOptions } from 'fastify'
import type { StationConfig } from './config'
import { buildApp, type App } from './server/app'
import { videoSummary } from './video/video-config'

export interface Station {
  app: App
  /** Listens on the configured host and port; resolves with the URL a browser or device can use. */
  start(): Promise<{ url: string; port: number }>
  /** Stops accepting, flushes every write queue, closes the database. Safe to call twice. */
  stop(): Promise<void>
  /**
   * Creates the first admin on an empty database and prints a generated password once. `start()` calls
   * it once the station listens, so a start that fails (port in use) never spends the one-time password;
   * tests that only `inject()` call it themselves.
   */
  ensureAdmin(): Promise<void>
}

/**
 * How long connections get to finish once the station stops; then every one still open is destroyed.
 * Node stops enforcing its request and header timeouts once the server closes, so without this a
 * slowloris client, a slow upload or a peer that never closes would hold the shutdown for ever.
 */
export const CONNECTION_DRAIN_MS = 5_000

/** Said at start when STATION_ADMIN_PASSWORD is set but is not the admin's password in the data folder. */
export const ADMIN_PASSWORD_IGNORED = (dataDir: string) =>
  `STATION_ADMIN_PASSWORD is set but ignored: the data folder ${dataDir} already has an admin with another ` +
  'password (the variable applies only to an empty data folder). To make it the admin password, stop the ' +
  'station and run: STATION_ADMIN_PASSWORD=... npm run headless -- --reset-admin-password'

export function summary(config: StationConfig): string {
  const q = config.queues
  const lines = [
    'Guard station configuration:',
    `  • Database: ${config.useDb ? `SQLite (WAL, synchronous=${config.dbSynchronous}) in ${config.dataDir}` : 'in memory only (USEDB=false): nothing survives a restart'}`,
    `  • Read pool: ${config.useDb ? `${config.readPoolSize} worker threads, read-only connections, reads stopped after ${config.readTimeoutMs / 1000}s` : 'inline (in-memory database)'}`,
    `  • API response cache: max ${config.cache.maxEntries} entries, ${config.cache.defaultTtlMs / 1000}s TTL (30s for /api/cameras/active)`,
    `  • Write queues (group commit, acknowledged after commit): devices ≤${q.devices.maxWaitMs}ms, readings ≤${q.readings.maxWaitMs}ms, buzzers ≤${q.buzzers.maxWaitMs}ms; bounds ${q.devices.maxPending}/${q.readings.maxPending}/${q.buzzers.maxPending}`,
    `  • Rate limit: ${config.rateLimitMax} requests/minute per client (signed-in users and devices exempt); failed sign-ins 5/minute per client, slowed per username; failed credentials 100/minute per client`,
    `  • WebSockets: ${config.ws.maxConnections} device sockets (desks and viewers capped per user and address), maxPayload ${config.ws.maxPayload} bytes, ping every ${config.ws.pingIntervalMs / 1000}s, per-message deflate ${config.ws.perMessageDeflate ? 'on' : 'off'}`,
    `  • Sessions: end after ${config.sessionIdleMs / 60_000} min without activity, ${config.sessionMaxMs / 3_600_000}h at most; expired ones removed every 60s`,
    videoSummary(config.video),
  ]
  return lines.join('\n')
}

export async function createStation(
  config: StationConfig,
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<Station> {
  const app = await buildApp(config, opts)
  await app.ready()

  // Every TCP connection the server accepted (HTTP, upgrades, WebSockets), for the drain deadline.
  const sockets = new Set<Socket>()
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  for (const message of config.retired ?? []) app.log.warn(message)

  let admin: Promise<void> | undefined
  const ensureAdmin = () =>
    (admin ??= (async () => {
      const made = await app.auth.ensureAdmin(config.adminPassword)
      if (!made.created && config.adminPassword !== undefined && !config.adminPasswordGenerated) {
        // Checked in the background (a password hash takes about a second): the start does not wait.
        void app.auth.configuredPasswordIgnored(config.adminPassword).then(
          (ignored) => {
            if (ignored) app.log.warn(ADMIN_PASSWORD_IGNORED(config.dataDir))
          },
          (err: unknown) => app.log.warn({ err }, 'could not check STATION_ADMIN_PASSWORD'),
        )
      }
      if (!made.generatedPassword) return
      // Printed once, on the first run only: there is no default password.
      app.log.warn(
        { username: 'admin' },
        'first run: generated admin password (shown once, change it after login)',
      )
      process.stdout.write(
        `\n  First run: sign in as "admin" with password: ${made.generatedPassword}\n  (shown once; set STATION_ADMIN_PASSWORD to choose it)\n\n`,
      )
    })())

  let stopping: Promise<void> | undefined
  return {
    app,
    ensureAdmin,
    async start() {
      await app.listen({ port: config.port, host: config.host })
      // Only now: a start that failed to listen must not create the admin with a password nobody kept.
      await ensureAdmin()
      const addr = app.server.address()
      const port = typeof addr === 'object' && addr ? addr.port : config.port
      const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
      const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`
      app.log.info(summary(config))
      return { url, port }
    },
    stop() {
      stopping ??= (async () => {
        app.log.info('stopping: refusing new requests, flushing write queues')
        // Requests in flight when the close began finish normally; their keep-alive connections then turn
        // idle and would hold the close up to keepAliveTimeout: reap them as they do.
        const reaper = setInterval(() => app.server.closeIdleConnections(), 50)
        // Whatever clients do, their connections end at the deadline; the write queues still drain after.
        const deadline = setTimeout(() => {
          if (sockets.size > 0) app.log.warn({ open: sockets.size }, 'stopping: cutting slow connections')
          for (const socket of sockets) socket.destroy()
        }, CONNECTION_DRAIN_MS)
        try {
          await app.close()
        } finally {
          clearInterval(reaper)
          clearTimeout(deadline)
        }
      })()
      return stopping
    },
  }
}
