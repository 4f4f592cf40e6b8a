/**
 * `POST /api/v1/devices/:id/heartbeat`: for devices that poll instead of holding a WebSocket. Answers the
 * server time and the device's pending buzzer commands at once (the last-seen write is coalesced), as
 * `{ serverTime, commands }`: the same field name as `GET /api/v1/buzzer/:deviceId/pending`. An optional
 * body `{ capabilities }` says what the device can do.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { HeartbeatAnswer, HeartbeatBody, type BuzzerCommand } from '../../../shared/schemas/device-protocol'
import { DeviceParams } from '../../../shared/schemas/devices'
import type { BuzzerRequest } from '../../../shared/schemas/entities'
import { errors } from '../errors'

export function buzzerCommand(r: BuzzerRequest): BuzzerCommand {
  const cmd: BuzzerCommand = { op: 'buzzer', requestId: r.id, action: r.action }
  if (r.durationMs !== null) cmd.durationMs = r.durationMs
  if (r.pattern !== null) cmd.pattern = r.pattern
  return cmd
}

const heartbeatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/devices/:id/heartbeat',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['devices'],
        summary: 'Device heartbeat: server time and pending buzzer commands',
        description:
          'The body is optional: `{ "capabilities": ["buzzer"] }` says what the device can do (`[]`: no buzzer).',
        params: DeviceParams,
        body: HeartbeatBody,
        response: { 200: Ok(HeartbeatAnswer) },
      },
      // Firmware from before capabilities sends no body: that is an empty one.
      preValidation: async (req) => {
        req.body ??= {}
      },
    },
    async (req, reply) => {
      const { id } = req.params
      const p = req.principal
      if (p?.kind === 'device' && p.via === 'token' && p.deviceId !== id) {
        throw errors.forbidden(`This device token may only act for device ${p.deviceId}`)
      }
      app.devices.touch(id, req.ip)
      const capabilities = req.body?.capabilities
      if (capabilities) app.devices.reportCapabilities(id, capabilities)
      const pending = await app.buzzers.takePending(id)
      reply.header('cache-control', 'no-store')
      return {
        success: true as const,
        data: { serverTime: Date.now(), commands: pending.map(buzzerCommand) },
      }
    },
  )
}

export default heartbeatRoutes
