/**
 * Devices (seed 2): guards list them and see each one's latest readings and online state; admins rename,
 * move, delete them and issue or revoke per-device bearer tokens.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { Device, DeviceDetail } from '../../../shared/schemas/entities'
import {
  DeviceChange,
  DeviceDeleted,
  DeviceList,
  DeviceParams,
  DeviceToken,
  DeviceTokenRevoked,
} from '../../../shared/schemas/devices'
import { errors } from '../errors'

const isForeignKeyError = (err: unknown) =>
  (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'

const devicesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.devices
  const notFound = (id: string) => errors.notFound(`Device ${id}`)

  app.get(
    '/api/v1/devices',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['devices'],
        summary: 'Every known device with its online state',
        response: { 200: Ok(DeviceList) },
      },
    },
    async () => ({ success: true as const, data: hub.list() }),
  )

  app.get(
    '/api/v1/devices/:id',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['devices'],
        summary: 'One device with the latest reading of each sensor',
        params: DeviceParams,
        response: { 200: Ok(DeviceDetail) },
      },
    },
    async (req) => {
      const detail = hub.detail(req.params.id)
      if (!detail) throw notFound(req.params.id)
      return { success: true as const, data: detail }
    },
  )

  app.put(
    '/api/v1/devices/:id',
    {
      config: { auth: 'admin', audit: 'device.update' },
      schema: {
        tags: ['devices'],
        summary: 'Rename a device or move it to another area (admin)',
        params: DeviceParams,
        body: DeviceChange,
        response: { 200: Ok(Device) },
      },
    },
    async (req) => {
      const { name, areaId } = req.body
      if (name !== undefined && !name.trim()) throw errors.badRequest('The name must not be blank')
      let device
      try {
        device = hub.update(req.params.id, { name: name?.trim(), areaId })
      } catch (err) {
        if (isForeignKeyError(err)) throw errors.badRequest(`Area ${areaId} does not exist`)
        throw err
      }
      if (!device) throw notFound(req.params.id)
      return { success: true as const, data: device }
    },
  )

  app.delete(
    '/api/v1/devices/:id',
    {
      config: { auth: 'admin', audit: 'device.delete' },
      schema: {
        tags: ['devices'],
        summary: 'Delete a device with its sensors and readings (admin)',
        params: DeviceParams,
        response: { 200: Ok(DeviceDeleted) },
      },
    },
    async (req) => {
      if (!(await hub.remove(req.params.id))) throw notFound(req.params.id)
      return { success: true as const, data: { deleted: true as const } }
    },
  )

  app.post(
    '/api/v1/devices/:id/token',
    {
      config: { auth: 'admin', audit: 'device.token.issue' },
      schema: {
        tags: ['devices'],
        summary: 'Issue a per-device bearer token (shown once; replaces the previous one) (admin)',
        params: DeviceParams,
        response: { 200: Ok(DeviceToken) },
      },
    },
    async (req, reply) => {
      const token = hub.issueToken(req.params.id)
      if (!token) throw notFound(req.params.id)
      reply.header('cache-control', 'no-store')
      return { success: true as const, data: { deviceId: req.params.id, token } }
    },
  )

  app.delete(
    '/api/v1/devices/:id/token',
    {
      config: { auth: 'admin', audit: 'device.token.revoke' },
      schema: {
        tags: ['devices'],
        summary: "Revoke a device's bearer token (admin)",
        params: DeviceParams,
        response: { 200: Ok(DeviceTokenRevoked) },
      },
    },
    async (req) => {
      if (!hub.revokeToken(req.params.id)) throw notFound(req.params.id)
      return { success: true as const, data: { revoked: true as const } }
    },
  )
}

export default devicesRoutes
