/**
 * Push cameras send their frames here: `POST /api/v1/stream/fast/:cameraId` with an image/jpeg body (one
 * frame per request), or binary messages on the WebSocket `/ws/camera/:cameraId`. Authenticated like
 * devices (site key in x-device-key) or with the camera's own token (Authorization: Bearer).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { Ok } from '../../../shared/schemas/common'
import { jpegProblem } from '../../video/jpeg'
import { videoErrors } from '../../video/video-errors'
import type { CameraChannel } from '../../video/camera-channel'

const CameraParams = Type.Object({ cameraId: Type.Integer({ minimum: 1 }) })

const videoPushRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.video
  /** When each push request began arriving (for the relay latency figure). */
  const arrivals = new WeakMap<FastifyRequest, number>()
  const maxBytes = hub.config.maxFrameBytes

  // Frames arrive as raw bytes (scoped to these routes); the limit answers 413 above it.
  app.addContentTypeParser(
    ['image/jpeg', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_req, body, done) => done(null, body),
  )

  /** The push camera a request may feed, or the error it gets. */
  function target(req: FastifyRequest, id: number): CameraChannel {
    const p = req.principal
    // Only the site key or that camera's own push token may feed it; a sensor's device token may not.
    if (p?.kind === 'camera' && p.cameraId !== id) throw videoErrors.otherCamera()
    if (p?.kind === 'device' && p.via === 'token') throw videoErrors.deviceTokenForCamera()
    const ch = hub.channel(id)
    if (!ch) throw videoErrors.unknownCamera(id)
    if (!ch.isPush) throw videoErrors.notPush(id, ch.kind)
    const unusable = ch.usable
    if (unusable) throw videoErrors.unavailable(id, unusable)
    return ch
  }

  app.post(
    '/api/v1/stream/fast/:cameraId',
    {
      bodyLimit: maxBytes,
      config: { auth: 'device', tokenScope: 'camera' },
      onRequest: async (req) => {
        arrivals.set(req, performance.now())
      },
      schema: {
        tags: ['video'],
        summary: 'A push camera sends one JPEG frame (body: image/jpeg, at most the frame limit)',
        params: CameraParams,
        response: {
          200: Ok(
            Type.Object({
              seq: Type.Integer({ description: 'Frame number the station gave this frame' }),
              viewers: Type.Integer(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const ch = target(req, req.params.cameraId)
      const body = req.body as unknown
      if (!Buffer.isBuffer(body))
        throw videoErrors.badFrame('Send the frame as the request body, Content-Type: image/jpeg')
      const problem = jpegProblem(body)
      if (problem) {
        ch.problem(problem)
        throw videoErrors.badFrame(problem)
      }
      ch.jpeg(body, arrivals.get(req))
      return { success: true as const, data: { seq: ch.lastSeq, viewers: ch.viewerCount } }
    },
  )

  app.get(
    '/ws/camera/:cameraId',
    {
      websocket: true,
      config: { auth: 'device', tokenScope: 'camera' },
      schema: {
        tags: ['video'],
        summary: 'A push camera sends JPEG frames as binary WebSocket messages',
        params: CameraParams,
      },
      // Checked before the upgrade, so a refused camera gets a plain HTTP error.
      preHandler: async (req) => {
        target(req, (req.params as { cameraId: number }).cameraId)
      },
    },
    (socket, req) => {
      const id = (req.params as { cameraId: number }).cameraId
      const ch = hub.channel(id)
      const push = ch?.pushSource
      if (!ch || !push) {
        socket.close(1011, 'camera unavailable')
        return
      }
      // Frames are far larger than the station's JSON WebSocket limit: raise it for this socket only.
      const receiver = (socket as unknown as { _receiver?: { _maxPayload: number } })._receiver
      if (receiver) receiver._maxPayload = maxBytes
      push.attach(socket)
      // Closed the moment its credential stops being valid (site key rotated, push token replaced).
      const p = req.principal
      app.connections.trackSocket(
        p?.kind === 'camera' ? { kind: 'camera-token', cameraId: p.cameraId } : { kind: 'site-key' },
        socket,
      )
      let badInARow = 0
      socket.on('message', (data, isBinary) => {
        if (!isBinary || !Buffer.isBuffer(data)) {
          socket.send(JSON.stringify({ op: 'error', message: 'send each JPEG frame as one binary message' }))
          return
        }
        const current = hub.channel(id)
        if (current !== ch || !ch.isPush || ch.usable) {
          socket.close(1008, 'camera removed, disabled or no longer a push camera')
          return
        }
        const problem = jpegProblem(data)
        if (problem) {
          ch.problem(problem)
          socket.send(JSON.stringify({ op: 'error', message: problem }))
          if (++badInARow >= 100) socket.close(1003, 'too many invalid frames')
          return
        }
        badInARow = 0
        ch.jpeg(data)
      })
      socket.on('close', () => push.detach(socket))
    },
  )
}

export default videoPushRoutes
