/**
 * Motion routes: every signed-in user reads a camera's motion settings and the detectors' figures (which
 * cameras are in motion); admins change the settings. Not cached: motion comes and goes by the second.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParam, Ok } from '../../shared/schemas/common'
import { MotionSettings, MotionSettingsBody, MotionStats } from '../../shared/schemas/motion'

const motionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/cameras/:id/motion',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['motion'],
        summary: "A camera's motion detection settings (the defaults until an admin sets them)",
        params: IdParam,
        response: { 200: Ok(MotionSettings) },
      },
    },
    async (req) => ({ success: true as const, data: app.motion.settings.get(req.params.id) }),
  )

  app.put(
    '/api/cameras/:id/motion',
    {
      config: { auth: 'admin', audit: 'motion.update' },
      schema: {
        tags: ['motion'],
        summary: "Change a camera's motion detection (fields left out keep their value)",
        params: IdParam,
        body: MotionSettingsBody,
        response: { 200: Ok(MotionSettings) },
      },
    },
    async (req) => ({ success: true as const, data: app.motion.settings.update(req.params.id, req.body) }),
  )

  app.get(
    '/api/v1/motion/stats',
    {
      config: { auth: 'guard' },
      schema: {
        tags: ['motion'],
        summary: 'Motion detectors: state, decoder, frames compared, CPU',
        response: { 200: Ok(MotionStats) },
      },
    },
    async () => ({ success: true as const, data: app.motion.runner.stats() }),
  )
}

export default motionRoutes
