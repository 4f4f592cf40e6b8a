/**
 * `GET /api/v1/devices/:id/readings`: history of one sensor (or every sensor of the device) in a time range,
 * with the total count in the range, or min/max/avg/count per `bucket` ms for charts. Served by the read
 * pool (worker threads); only the cheap device/sensor lookup runs on the main thread.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import type { Reading, ReadingBucket } from '../../../shared/schemas/entities'
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
    const [count, rows] = await Promise.all([
      app.reads.run<{ total: number }>('readings.count', params),
      bucket === undefined
        ? app.reads.run<{ ts: number; value: number }[]>('readings.range', {
            ...params,
            limit: r.limit,
            offset: r.offset,
          })
        : app.reads.run<Omit<ReadingBucket, 'sensor'>[]>('readings.buckets', {
            ...params,
            bucket,
            limit: r.limit,
          }),
    ])
    return bucket === undefined
      ? {
          total: count.total,
          readings: (rows as { ts: number; value: number }[]).map((x) => ({ ...x, sensor, unit })),
        }
      : {
          total: count.total,
          buckets: (rows as Omit<ReadingBucket, 'sensor'>[]).map((x) => ({ ...x, sensor })),
          bucketMs: bucket,
        }
  }

  async function ofDevice(deviceId: string, r: Range, bucket?: number) {
    const params = { deviceId, from: r.from, to: r.to }
    const [count, rows] = await Promise.all([
      app.reads.run<{ total: number }>('readings.device.count', params),
      bucket === undefined
        ? app.reads.run<Reading[]>('readings.device.range', { ...params, limit: r.limit, offset: r.offset })
        : app.reads.run<ReadingBucket[]>('readings.device.buckets', { ...params, bucket, limit: r.limit }),
    ])
    return bucket === undefined
      ? { total: count.total, readings: rows as Reading[] }
      : { total: count.total, buckets: rows as ReadingBucket[], bucketMs: bucket }
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
