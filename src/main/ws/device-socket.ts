/**
 * `/ws/device?deviceId=ID`: a device's WebSocket (protocol in docs/device-protocol.md). Authentication is
 * the site key (x-device-key) or a device token, checked in the upgrade; a device token fixes the device id.
 * JSON text frames: readings are acknowledged only after commit; a bad message gets an error and the socket
 * stays open; the station pushes buzzer commands the moment a guard triggers one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RawData, WebSocket } from 'ws'
import { DeviceSocketQuery, type DeviceToStation } from '../../shared/schemas/device-protocol'
import type { DeviceHub } from '../devices/device-service'
import { parseDeviceMessage } from '../devices/ingest-validation'
import type { IngestReading } from '../devices/readings-writer'
import { errors } from '../server/errors'
import type { DeviceConnection } from './device-connections'
import { binaryFrame, failureFrame, refusedFrame } from './device-errors'

function readingsOf(msg: DeviceToStation, deviceId: string, now: number): IngestReading[] | undefined {
  if (msg.op === 'reading') {
    const { sensor, value, unit, ts } = msg
    return [
      unit === undefined
        ? { deviceId, sensor, value, ts: ts ?? now }
        : { deviceId, sensor, value, unit, ts: ts ?? now },
    ]
  }
  if (msg.op !== 'readings') return undefined
  // The parsed objects are ours: complete them in place rather than copying every reading.
  const list = msg.readings as ((typeof msg.readings)[number] & { deviceId?: string })[]
  for (const r of list) {
    r.deviceId = deviceId
    r.ts ??= now
  }
  return list as IngestReading[]
}

type Log = { error: (obj: object, msg: string) => void }

/** Handles one text frame of an open device socket. */
function onMessage(
  hub: DeviceHub,
  conn: DeviceConnection,
  data: RawData,
  isBinary: boolean,
  buzzers: () => import('../services').BuzzerService,
  log: Log,
): void {
  const { deviceId } = conn
  if (isBinary) {
    hub.connections.sendTo(conn, binaryFrame())
    return
  }
  const parsed = parseDeviceMessage(data.toString())
  if (!parsed.ok) {
    hub.connections.sendTo(conn, refusedFrame(parsed.id, parsed.message))
    return
  }
  const fail = (id: number | undefined, err: unknown) => {
    const f = failureFrame(id, err)
    if (f.code === 'INTERNAL') log.error({ err, deviceId }, 'device message failed')
    hub.connections.sendTo(conn, f)
  }
  const msg = parsed.value
  const id = parsed.id
  const now = Date.now()
  hub.touch(deviceId, conn.ip ?? undefined)
  switch (msg.op) {
    case 'heartbeat':
      if (msg.capabilities) hub.reportCapabilities(deviceId, msg.capabilities)
      hub.connections.sendTo(conn, { op: 'ack', id, serverTime: now })
      return
    case 'buzzer-ack':
      buzzers()
        .acknowledge(msg.requestId, deviceId, msg.ok, msg.error)
        .then(
          () => hub.connections.sendTo(conn, { op: 'ack', id }),
          (err: unknown) => fail(id, err),
        )
      return
    default: {
      const readings = readingsOf(msg, deviceId, now)!
      hub.ingest(readings).then(
        () => hub.connections.sendTo(conn, { op: 'ack', id, accepted: readings.length }),
        (err: unknown) => fail(id, err),
      )
    }
  }
}

const deviceSocketRoute: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.devices

  app.get(
    '/ws/device',
    {
      websocket: true,
      config: { auth: 'device' },
      schema: {
        tags: ['devices'],
        summary:
          'Device WebSocket: readings, heartbeats and buzzer acks in; acks, errors and buzzer commands out',
        querystring: DeviceSocketQuery,
      },
      // Runs before the upgrade completes: refusals are plain HTTP answers.
      preValidation: async (req) => {
        const p = req.principal
        const asked = (req.query as { deviceId?: string }).deviceId
        if (p?.kind !== 'device') throw errors.forbidden('Only devices may open this socket')
        if (p.via === 'token' && asked !== undefined && asked !== p.deviceId) {
          throw errors.forbidden(`This device token may only connect as device ${p.deviceId}`)
        }
        const deviceId = p.via === 'token' ? p.deviceId : asked
        if (!deviceId) throw errors.badRequest('deviceId is required in the query')
        const replacing = hub.connections.get(deviceId) !== undefined
        // Devices have their own budget (STATION_WS_MAX device sockets): desks and viewers never count.
        if (!replacing && !hub.connections.hasRoom(deviceId)) throw errors.tooManyConnections()
      },
    },
    (socket: WebSocket, req) => {
      const p = req.principal
      const deviceId =
        p?.kind === 'device' ? (p.via === 'token' ? p.deviceId : req.query.deviceId) : undefined
      if (p?.kind !== 'device' || !deviceId) {
        socket.close(1008, 'not a device')
        return
      }
      const conn = hub.connect(deviceId, socket, p.via, req.ip ?? null)
      socket.on('message', (data, isBinary) =>
        onMessage(hub, conn, data, isBinary, () => app.buzzers, app.log),
      )
      socket.on('close', () => hub.disconnect(conn))
      // Opened with the site key: closed the moment it is rotated (a device token is the device service's).
      if (p.via === 'site-key') app.connections.trackSocket({ kind: 'site-key' }, socket)
    },
  )
}

export default deviceSocketRoute
