/**
 * `GET /api/v1/devices/:id/readings`: history of one sensor (or every sensor of the device) in a time range,
 * with the total count in the range, or min/max/avg/count per `bucket` ms for charts. Served by the read
 * pool (worker threads); only the cheap device/sensor lookup runs on the main thread.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { DeviceParams } from '../../../shared/schemas/devices'
import { ReadingsQuery, ReadingsResult } from '../../../shared/schemas/readings'
import { errors } from '../errors'

const MAX_EPOCH_MS = 8_640_000_000_000_000

interface Range {
  from: number
  to: number
  limit: number
  offset: number
}

const readingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.devices

  async function ofSensor(sensorId: number, sensor: string, unit: string, r: Range, bucket?: number) {
    const params = { sensorId, from: r.from, to: r.to }
    const count = app.reads.run('readings.count', params)
    if (bucket === undefined) {
      const [{ total }, rows] = await Promise.all([
        count,
        app.reads.run('readings.range', { ...params, limit: r.limit, offset: r.offset }),
      ])
      return { total, readings: rows.map((x) => ({ ...x, sensor, unit })) }
    }
    const [{ total }, rows] = await Promise.all([
      count,
      app.reads.run('readings.buckets', { ...params, bucket, limit: r.limit }),
    ])
    return { total, buckets: rows.map((x) => ({ ...x, sensor })), bucketMs: bucket }
  }

  async function ofDevice(deviceId: string, r: Range, bucket?: number) {
    const params = { deviceId, from: r.from, to: r.to }
    const count = app.reads.run('readings.device.count', params)
    if (bucket === undefined) {
      const [{ total }, readings] = await Promise.all([
        count,
        app.reads.run('readings.device.range', { ...params, limit: r.limit, offset: r.offset }),
      ])
      return { total, readings }
    }
    const [{ total }, buckets] = await Promise.all([
      count,
      app.reads.run('readings.device.buckets', { ...params, bucket, limit: r.limit }),
    ])
    return { total, buckets, bucketMs: bucket }
  }

  app.get(
    '/api/v1/devices/:id/readings',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['devices'],
        summary: 'Reading history of a device (one sensor or all), paged, or aggregated per bucket',
        params: DeviceParams,
        querystring: ReadingsQuery,
        response: { 200: Ok(ReadingsResult) },
      },
    },
    async (req, reply) => {
      const { id } = req.params
      const q = req.query
      const range: Range = {
        from: q.from ?? 0,
        to: q.to ?? MAX_EPOCH_MS,
        limit: q.limit ?? 1000,
        offset: q.offset ?? 0,
      }
      if (range.from > range.to) throw errors.badRequest('from must not be after to')
      if (!hub.repo.get(id)) throw errors.notFound(`Device ${id}`)
      let data
      if (q.sensor !== undefined) {
        const sensor = hub.repo.sensor(id, q.sensor)
        if (!sensor) throw errors.notFound(`Sensor ${q.sensor} of device ${id}`)
        data = await ofSensor(sensor.id, sensor.name, sensor.unit, range, q.bucket)
      } else {
        data = await ofDevice(id, range, q.bucket)
      }
      reply.header('cache-control', 'private, no-cache')
      return { success: true as const, data }
    },
  )
}

export default readingsRoutes
