/**
 * `station-audit` (`app.audit`): the audit log. Defines the station's audit rules, applies them to every
 * route that names one (`config.audit`), checks the hash chain at start (a broken chain is a critical
 * station event, an error in the log and `audit.state: broken` in `/api/health`), and drains its queue on
 * close, after the server stopped and before the database closes.
 */
import fp from 'fastify-plugin'
import { AreasRepository } from '../areas/areas-repository'
import { EventsRepository } from '../events/events-repository'
import { SettingsRepository } from '../settings/settings-repository'
import { StationSettingsService } from '../settings/station-settings-service'
import { stationAuditRules, type AuditSources } from './actions'
import { installAuditHooks } from './audit-hooks'
import { AuditRepository } from './audit-repository'
import { AuditService } from './audit-service'
import { START_CHECK_ENTRIES, checkChain } from './chain-check'

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService
  }
}

export default fp(
  async (app) => {
    const service = new AuditService({ writer: app.writer, log: app.log })
    app.decorate('audit', service)

    const areas = new AreasRepository(app.db)
    const events = new EventsRepository(app.db)
    const settings = new StationSettingsService({
      repo: new SettingsRepository(app.db),
      config: app.config,
      setDeviceKey: () => {
        throw new Error('read only')
      },
    })
    const sources: AuditSources = {
      user: (id) => app.auth.users.get(id),
      userByName: (name) => {
        const u = app.auth.users.findByUsername(name)
        return u ? app.auth.users.get(u.id) : undefined
      },
      camera: (id) => app.cameras.get(id, 'admin') as ReturnType<AuditSources['camera']>,
      device: (id) => app.devices.get(id),
      area: (id) => areas.get(id),
      event: (id) => events.get(id),
      stationSettings: () => settings.view(),
    }
    for (const [name, rule] of Object.entries(stationAuditRules(sources))) service.define(name, rule)
    installAuditHooks(app, service)

    // Every route naming a rule must find it: checked once every plugin had the chance to define its own.
    app.addHook('onRoute', (route) => {
      const rule = route.config?.audit
      if (!rule) return
      for (const m of Array.isArray(route.method) ? route.method : [route.method]) {
        service.routes.push({ url: `${m} ${route.url}`, rule })
      }
    })
    app.addHook('onReady', async () => {
      const missing = service.routes.filter((n) => !service.has(n.rule))
      if (missing.length) {
        throw new Error(`Unknown audit rules: ${missing.map((m) => `${m.url} → ${m.rule}`).join(', ')}`)
      }
    })

    const status = checkChain(new AuditRepository(app.db), { maxEntries: START_CHECK_ENTRIES })
    service.chain = status
    if (status.state === 'broken') {
      app.log.error({ audit: status }, 'the audit log has been tampered with: its hash chain is broken')
      await app.events
        .record({
          type: 'audit.chain-broken',
          severity: 'critical',
          sourceKind: 'station',
          sourceId: 'audit',
          message: `The audit log's hash chain is broken at entry ${status.brokenAt}: ${status.reason}`,
        })
        .catch((err: unknown) => app.log.error({ err }, 'could not record the broken audit chain event'))
    } else {
      app.log.info({ audit: status }, 'audit log chain checked')
    }

    app.addHook('onClose', async () => {
      await service.close()
    })
  },
  {
    name: 'station-audit',
    dependencies: [
      'station-database',
      'station-auth',
      'station-events',
      'station-devices',
      'station-cameras',
    ],
  },
)
