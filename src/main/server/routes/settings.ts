/**
 * Site settings for admins: the device key (the site key devices present in x-device-key) and its
 * rotation. A key fixed by STATION_DEVICE_KEY is changed there, not here: a rotated key would be
 * replaced by the configured one at the next start and lock every re-keyed device out.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { DeviceKey } from '../../../shared/schemas/settings'
import { DEVICE_KEY_HEADER } from '../../../shared/constants'
import { errors } from '../errors'

const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const source = () => (app.config.deviceKey !== undefined ? ('environment' as const) : ('station' as const))
  const answer = () => ({
    success: true as const,
    data: {
      deviceKey: app.auth.deviceKey,
      header: DEVICE_KEY_HEADER as typeof DEVICE_KEY_HEADER,
      source: source(),
    },
  })

  app.get(
    '/api/settings/device-key',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'The site key devices present in x-device-key',
        response: { 200: Ok(DeviceKey) },
      },
    },
    async () => answer(),
  )

  app.post(
    '/api/settings/device-key/rotate',
    {
      config: { auth: 'admin', audit: 'key.rotate' },
      schema: {
        tags: ['settings'],
        summary: 'Replace the site key (devices using the old one are refused from now on)',
        response: { 200: Ok(DeviceKey) },
      },
    },
    async (req) => {
      if (source() === 'environment') {
        throw errors.conflict('The device key is set by STATION_DEVICE_KEY: change it there and restart')
      }
      app.auth.rotateDeviceKey()
      app.domainEvents.publish({ type: 'settings.changed', keys: ['deviceKey'] })
      req.log.warn(
        { by: req.principal?.kind === 'user' ? req.principal.username : undefined },
        'device key rotated',
      )
      return answer()
    },
  )
}

export default settingsRoutes
