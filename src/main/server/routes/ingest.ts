/**
 * `POST /api/v1/ingest/sensor-data`: one reading or `{ readings: [...] }` (up to 1,000), all or nothing.
 * The answer comes only after the transaction holding the readings has committed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { IngestAccepted, IngestBody } from '../../../shared/schemas/device-protocol'
import { validateIngestBody } from '../../devices/ingest-validation'
import type { IngestReading } from '../../devices/readings-writer'
import { StationError, errors } from '../errors'

const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.devices

  app.post(
    '/api/v1/ingest/sensor-data',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['devices'],
        summary: 'Ingest sensor readings (acknowledged after commit; a batch is all or nothing)',
        body: IngestBody,
        response: { 200: Ok(IngestAccepted) },
      },
      // Strict validation (no coercion of "23.5" into 23.5) that names the bad reading of a batch.
      validatorCompiler: () => (data: unknown) => {
        const r = validateIngestBody(data)
        return r.ok ? { value: data } : { error: new StationError(400, 'VALIDATION', r.message) }
      },
    },
    async (req) => {
      const body = req.body
      const readings = 'readings' in body ? body.readings : [body]
      const p = req.principal
      const onlyDevice = p?.kind === 'device' && p.via === 'token' ? p.deviceId : null
      if (onlyDevice !== null) {
        const i = readings.findIndex((r) => r.deviceId !== onlyDevice)
        if (i >= 0)
          throw errors.forbidden(`Reading ${i}: this device token may only write device ${onlyDevice}`)
      }
      const now = Date.now()
      let last: string | undefined
      for (const r of readings) {
        if (r.ts === undefined) r.ts = now
        if (r.deviceId !== last) {
          hub.touch(r.deviceId, req.ip)
          last = r.deviceId
        }
      }
      // ts is set on every reading above.
      await hub.ingest(readings as IngestReading[])
      return { success: true as const, data: { accepted: readings.length } }
    },
  )
}

export default ingestRoutes
