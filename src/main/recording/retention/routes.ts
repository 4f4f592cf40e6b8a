/**
 * Storage figures (`GET /api/v1/recordings/storage`: every signed-in user) and deleting footage (`DELETE
 * /api/v1/recordings?cameraId=&from=&to=`: admins only). Footage an alarm protects is never deleted: a
 * range holding some is refused with 409 naming its keep-until date, unless `skipProtected` keeps it and
 * deletes the rest. Not cached: a segment is indexed every few seconds per camera.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { StorageSummary } from '../../../shared/schemas/recordings'
import { RecordingsDeleted, RecordingsDeleteQuery } from '../../../shared/schemas/recording-retention'
import { errors } from '../../server/errors'

const retentionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/recordings/storage',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['recordings'],
        summary: 'Storage per camera (bytes, days, oldest, write rate), totals, quota, free space',
        response: { 200: Ok(StorageSummary) },
      },
    },
    async () => ({ success: true as const, data: await app.retention.summary() }),
  )

  app.delete(
    '/api/v1/recordings',
    {
      config: { auth: 'admin', audit: 'recording.delete' },
      schema: {
        tags: ['recordings'],
        summary: "Delete a camera's footage overlapping [from, to) (whole segments; never protected footage)",
        querystring: RecordingsDeleteQuery,
        response: { 200: Ok(RecordingsDeleted) },
      },
    },
    async (req) => {
      const q = req.query
      if (q.to <= q.from) throw errors.badRequest('to must be after from')
      const result = await app.retention.deleteRange(q)
      if (result.kind === 'protected') {
        throw errors.conflict(
          `${result.segments} segment${result.segments === 1 ? ' is' : 's are'} in this range protected by an alarm ` +
            `until ${new Date(result.until).toISOString()} (keep-until): nothing was deleted. Narrow the range, ` +
            'release the hold, or pass skipProtected=true to delete the rest',
        )
      }
      const { kind: _kind, ...data } = result
      return { success: true as const, data }
    },
  )
}

export default retentionRoutes
