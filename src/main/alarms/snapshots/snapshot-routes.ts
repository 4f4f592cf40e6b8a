/** `GET /api/alarms/:id/snapshots/:cameraId`: the picture a camera gave when the alarm opened (guards). */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AlarmSnapshotParams } from '../../../shared/schemas/alarms'
import { errors } from '../../server/errors'

const snapshotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { repo, dir } = app.alarms.snapshots

  app.get(
    '/api/alarms/:id/snapshots/:cameraId',
    {
      // An <img> cannot send headers: the console loads it with a short-lived stream token.
      config: { auth: 'guard', tokenScope: 'stream' },
      schema: {
        tags: ['alarms'],
        summary: 'The picture a camera gave when the alarm opened (404 when it gave none)',
        params: AlarmSnapshotParams,
        response: {
          200: {
            description: 'The picture',
            content: {
              'image/jpeg': {
                schema: Type.Unsafe<Buffer>({
                  type: 'string',
                  format: 'binary',
                  description: 'a JPEG image',
                }),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const { id, cameraId } = req.params
      const snap = repo.file(id, cameraId)
      const missing = () => errors.notFound(`A picture of camera ${cameraId} for alarm ${id}`)
      if (!snap) throw missing()
      const data = await readFile(join(dir, snap.file)).catch(() => undefined)
      if (!data) throw missing()
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('last-modified', new Date(snap.at).toUTCString())
        .send(data)
    },
  )
}

export default snapshotRoutes
