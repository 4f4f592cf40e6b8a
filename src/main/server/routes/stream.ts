/**
 * `GET /api/stream`: for each enabled camera, the station's own live endpoints for it (the UI and other
 * viewers never connect to cameras directly, and never learn a camera's URL or credentials). Push
 * cameras also get the endpoints they send their video to.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Ok } from '../../../shared/schemas/common'
import { CameraKindSchema } from '../../../shared/schemas/entities'
import { CamerasRepository } from '../../cameras/cameras-repository'
import type { Camera } from '../../../shared/schemas/entities'

export const StreamEntry = Type.Object({
  cameraId: Type.Integer(),
  name: Type.String(),
  kind: CameraKindSchema,
  online: Type.Boolean(),
  mjpeg: Type.String({ description: 'multipart/x-mixed-replace MJPEG stream' }),
  snapshot: Type.String({ description: 'The latest frame as JPEG' }),
  ws: Type.String({ description: 'Frames over WebSocket' }),
  ingest: Type.Optional(
    Type.Object({
      http: Type.String({ description: 'Push cameras POST frames here' }),
      ws: Type.String({ description: 'Push cameras send frames over this WebSocket' }),
    }),
  ),
})

export function streamEntry(c: Camera) {
  const base = {
    cameraId: c.id,
    name: c.name,
    kind: c.kind,
    online: c.is_online,
    mjpeg: `/api/v1/stream/${c.id}/mjpeg`,
    snapshot: `/api/v1/stream/${c.id}/snapshot.jpg`,
    ws: `/ws/stream/${c.id}`,
  }
  return c.kind === 'push'
    ? { ...base, ingest: { http: `/api/v1/stream/fast/${c.id}`, ws: `/ws/camera/${c.id}` } }
    : base
}

const streamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cameras = new CamerasRepository(app.db)
  app.get(
    '/api/stream',
    {
      config: { auth: 'guard', cache: {} },
      schema: {
        tags: ['cameras'],
        summary: "The station's live endpoints for each enabled camera",
        response: { 200: Ok(Type.Array(StreamEntry)) },
      },
    },
    async () => ({ success: true as const, data: cameras.listEnabled().map(streamEntry) }),
  )
}

export default streamRoutes
