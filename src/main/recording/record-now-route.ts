/**
 * `POST /api/v1/recordings/:cameraId/record-now` (guards and admins): records the camera now, from its
 * pre-roll, for the seconds asked (default 30, at most an hour), then its post-roll, and marks it with
 * who asked. A camera set to off gets the mark only (and answers `recordingUntil: null`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../shared/schemas/common'
import { CameraIdParams } from '../../shared/schemas/cameras'
import { RECORD_NOW_DEFAULT_S, RecordNowBody, RecordNowResult } from '../../shared/schemas/record-now'
import { errors } from '../server/errors'

const recordNowRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/recordings/:cameraId/record-now',
    {
      config: { auth: 'guard', audit: 'recording.record-now' },
      // The body is optional: none is `{}` (the default duration).
      preValidation: async (req) => {
        req.body ??= {}
      },
      schema: {
        tags: ['recordings'],
        summary: 'Record a camera now',
        description:
          'Events mode: records from the pre-roll for `durationS` (default 30 s), then the post-roll. ' +
          'Continuous: marks the moment. Either way a `manual` mark is written with who asked. 404: no ' +
          'such camera.',
        params: CameraIdParams,
        body: RecordNowBody,
        response: { 200: Ok(RecordNowResult) },
      },
    },
    async (req) => {
      const { cameraId } = req.params
      const p = req.principal
      const seconds = req.body.durationS ?? RECORD_NOW_DEFAULT_S
      const r = await app.recording.trigger(cameraId, {
        reason: 'manual',
        ref: p?.kind === 'user' ? p.username : undefined,
        untilMs: Date.now() + seconds * 1000,
      })
      if (!r) throw errors.notFound(`Camera ${cameraId}`)
      return { success: true as const, data: { ...r, state: app.recording.state(cameraId).state } }
    },
  )
}

export default recordNowRoute
