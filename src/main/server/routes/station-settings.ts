/**
 * The station settings admins edit in the UI (port, bind address, data folder, cache, queue intervals,
 * read pool, device key). Saved values apply on the next start, under any environment variable; the
 * answer says which changes wait for a restart. A new device key applies at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ok } from '../../../shared/schemas/common'
import { StationSettings, StationSettingsUpdate } from '../../../shared/schemas/station-settings'
import { SettingsRepository } from '../../settings/settings-repository'
import { settingsBodyError } from '../../settings/station-settings'
import { StationSettingsService } from '../../settings/station-settings-service'

const stationSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new StationSettingsService({
    repo: new SettingsRepository(app.db),
    config: app.config,
    setDeviceKey: (key) => app.auth.setDeviceKey(key),
  })

  app.get(
    '/api/settings/station',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'Station settings: running, saved and default values, and what waits for a restart',
        response: { 200: Ok(StationSettings) },
      },
    },
    async () => ({ success: true as const, data: service.view() }),
  )

  app.put(
    '/api/settings/station',
    {
      config: { auth: 'admin', audit: 'settings.update' },
      schema: {
        tags: ['settings'],
        summary: 'Save station settings (applied on the next start; null restores the default)',
        body: StationSettingsUpdate,
        response: { 200: Ok(StationSettings) },
      },
      schemaErrorFormatter: settingsBodyError,
    },
    async (req) => {
      const data = service.update(req.body)
      if (data.changed?.length) {
        app.domainEvents.publish({ type: 'settings.changed', keys: data.changed })
        req.log.warn(
          {
            by: req.principal?.kind === 'user' ? req.principal.username : undefined,
            changed: data.changed,
          },
          data.restartRequired ? 'station settings saved: restart to apply' : 'station settings saved',
        )
      }
      return { success: true as const, data }
    },
  )
}

export default stationSettingsRoutes
