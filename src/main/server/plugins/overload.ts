/**
 * Load shedding (@fastify/under-pressure): while the event loop is late by more than
 * `STATION_OVERLOAD_DELAY_MS` on average (over the last second), new device WebSockets and HTTP readings
 * are refused with `503 OVERLOADED` + `Retry-After`. Devices keep what they could not send and retry;
 * the devices already connected, heartbeats and the guards' screens keep being served. Accepting more
 * work than the station can do would make every answer late, for everyone.
 */
import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import { errors } from '../errors'

/** Routes whose new work is refused under pressure: their clients retry later by contract. */
const SHED = new Set(['/ws/device', '/api/v1/ingest/sensor-data'])
const RETRY_AFTER_SECONDS = 2
const SAMPLE_INTERVAL_MS = 1000

export default fp(
  async (app) => {
    let since = 0
    let refused = 0
    // Starting the station holds the event loop (schemas compiled, workers started): the windows measured
    // up to and just after ready measure the start, not load. (A window with no sample at all reads as
    // an infinite delay.) Shedding starts two windows after ready.
    let armedAt = Infinity
    app.addHook('onReady', (done) => {
      armedAt = Date.now() + 2 * SAMPLE_INTERVAL_MS
      done()
    })
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.overloadDelayMs,
      sampleInterval: SAMPLE_INTERVAL_MS,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: (req, _reply, _type, value) => {
        if (!SHED.has(req.routeOptions.url ?? '')) return undefined
        const now = Date.now()
        if (now < armedAt) return undefined
        refused++
        // One line per episode of pressure (at most one every 10 s), not one per refusal.
        if (now - since > 10_000) {
          app.log.warn(
            { eventLoopDelayMs: Math.round(Number(value)), refusedSinceLastLine: refused },
            'station overloaded: refusing new device sockets and HTTP readings',
          )
          refused = 0
        }
        since = now
        return Promise.reject(
          errors.overloaded(
            'The station is overloaded; keep the readings and retry later',
            RETRY_AFTER_SECONDS,
          ),
        )
      },
    })
  },
  { name: 'station-overload', dependencies: ['station-errors'] },
)
