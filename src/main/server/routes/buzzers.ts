/**
 * Buzzer commands. Guards trigger and follow them; devices poll for them and confirm them.
 * Lifecycle: `queued → sent → acknowledged`, or `failed` (device answered ok:false) or `expired`
 * (no confirmation within STATION_BUZZER_TIMEOUT_MS).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { BuzzerRequest } from '../../../shared/schemas/entities'
import {
  BuzzerDeviceParams,
  BuzzerRequestList,
  BuzzerRequestParams,
  BuzzerRequestsQuery,
  BuzzerTriggerBody,
  BuzzerTriggerResult,
} from '../../../shared/schemas/buzzers'
import { BuzzerAckBody, BuzzerAckQuery, PendingCommands } from '../../../shared/schemas/device-protocol'
import { toCommand } from '../../buzzers/buzzer-service'
import type { Principal } from '../plugins/auth'
import { errors } from '../errors'

/** A device token speaks for one device; the site key speaks for any (it is shared by the site's devices). */
function assertDevice(p: Principal | null, deviceId: string): void {
  if (p?.kind !== 'device') throw errors.forbidden()
  if (p.deviceId !== null && p.deviceId !== deviceId) {
    throw errors.forbidden('This device token belongs to another device')
  }
}

const buzzerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const touch = (deviceId: string, ip: string) => {
    app.devices.touch(deviceId, ip)
  }

  app.post(
    '/api/v1/buzzer/:deviceId',
    {
      config: { auth: 'guard', audit: 'buzzer.trigger' },
      schema: {
        tags: ['buzzers'],
        summary: 'Sound or silence a buzzer',
        description:
          'Answers once the command is committed, with its status: `sent` when the device holds a ' +
          'WebSocket and the command was pushed at once, `queued` when it waits for the device to poll ' +
          '(heartbeat or GET .../pending). Unknown device: 404. A device that is offline (no WebSocket ' +
          'and not heard from within STATION_DEVICE_OFFLINE_MS) is refused with 409 DEVICE_OFFLINE, since ' +
          'the command could only expire; online polling devices are queued.',
        params: BuzzerDeviceParams,
        body: BuzzerTriggerBody,
        response: { 200: Ok(BuzzerTriggerResult) },
      },
    },
    async (req) => {
      const p = req.principal
      const r = await app.buzzers.create({
        deviceId: req.params.deviceId,
        action: req.body.action,
        durationMs: req.body.durationMs,
        pattern: req.body.pattern,
        requestedBy: p?.kind === 'user' ? p.username : null,
      })
      return { success: true as const, data: { requestId: r.id, status: r.status, expiresAt: r.expiresAt } }
    },
  )

  app.get(
    '/api/v1/buzzer/requests/:id',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['buzzers'],
        summary: 'One buzzer request and its current status',
        params: BuzzerRequestParams,
        response: { 200: Ok(BuzzerRequest) },
      },
    },
    async (req, reply) => {
      const r = app.buzzers.get(req.params.id)
      if (!r) throw errors.notFound(`Buzzer request ${req.params.id}`)
      reply.header('cache-control', 'private, no-cache')
      return { success: true as const, data: r }
    },
  )

  app.get(
    '/api/v1/buzzer/:deviceId/requests',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['buzzers'],
        summary: "A device's buzzer requests, most recent first",
        params: BuzzerDeviceParams,
        querystring: BuzzerRequestsQuery,
        response: { 200: Ok(BuzzerRequestList) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-cache')
      return {
        success: true as const,
        data: app.buzzers.listForDevice(req.params.deviceId, req.query.limit ?? 50),
      }
    },
  )

  app.get(
    '/api/v1/buzzer/:deviceId/pending',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['device protocol'],
        summary: 'Buzzer commands waiting for this device (for devices that poll)',
        description:
          'Every command queued or sent but not yet confirmed, oldest first; queued ones become `sent`. ' +
          'A command is repeated until the device confirms it (POST /api/v1/buzzer/requests/:id/ack), so ' +
          'devices execute each requestId once. A device token may read only its own device.',
        params: BuzzerDeviceParams,
        response: { 200: Ok(PendingCommands) },
      },
    },
    async (req, reply) => {
      assertDevice(req.principal, req.params.deviceId)
      touch(req.params.deviceId, req.ip)
      const pending = await app.buzzers.takePending(req.params.deviceId)
      reply.header('cache-control', 'no-store')
      return { success: true as const, data: { commands: pending.map(toCommand), serverTime: Date.now() } }
    },
  )

  app.post(
    '/api/v1/buzzer/requests/:id/ack',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['device protocol'],
        summary: 'A device confirms (ok: true) or reports failing (ok: false) a buzzer command',
        description:
          'Only the target device may confirm: a device token for another device gets 403; with the site ' +
          'key, `?deviceId=` (optional) must name the target. Repeating the same answer is harmless (200); ' +
          'answering a request that already ended otherwise (e.g. expired) is 409.',
        params: BuzzerRequestParams,
        querystring: BuzzerAckQuery,
        body: BuzzerAckBody,
        response: { 200: Ok(BuzzerRequest) },
      },
    },
    async (req) => {
      const target = app.buzzers.get(req.params.id)
      if (!target) throw errors.notFound(`Buzzer request ${req.params.id}`)
      assertDevice(req.principal, req.query.deviceId ?? target.deviceId)
      if (req.query.deviceId !== undefined && req.query.deviceId !== target.deviceId) {
        throw errors.forbidden('This buzzer request is for another device')
      }
      touch(target.deviceId, req.ip)
      const r = await app.buzzers.acknowledge(req.params.id, target.deviceId, req.body.ok, req.body.error)
      return { success: true as const, data: r }
    },
  )
}

export default buzzerRoutes
