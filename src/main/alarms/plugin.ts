/**
 * `app.alarms` (`station-alarms`): alarm rules as data, the rule engine on the domain event stream, the
 * alarm workflow and area arming. Alarm changes reach `/ws/live` from the domain stream (live-alarms.ts).
 */
import { join } from 'node:path'
import fp from 'fastify-plugin'
import { AreasRepository } from '../areas/areas-repository'
import { alarmRules } from '../audit/actions/alarms'
import { SYSTEM_ACTOR } from '../audit/request-origin'
import { STATION_SOURCE } from '../../shared/audit-actions'
import type { AreaArming } from '../../shared/schemas/alarms'
import { AlarmActions } from './alarm-actions'
import { AlarmService } from './alarm-service'
import { AlarmsRepository } from './alarms-repository'
import { ArmingRepository } from './arming-repository'
import { feedLiveAlarms } from './live-alarms'
import { cameraJpeg } from '../video/camera-jpeg'
import { ALARM_SNAPSHOTS_DIR, AlarmSnapshots } from './snapshots/alarm-snapshots'
import { SnapshotRepository } from './snapshots/snapshot-repository'
import { RuleEngine } from './rule-engine'
import { RuleService } from './rule-service'
import { RulesRepository } from './rules-repository'

export interface StationAlarms {
  rules: RuleService
  alarms: AlarmService
  engine: RuleEngine
  /** The pictures taken when alarms open (`<data>/alarm-snapshots`). */
  snapshots: { repo: SnapshotRepository; dir: string; capture: AlarmSnapshots }
  arming: {
    get(areaId: number): AreaArming
    set(areaId: number, armed: boolean, by: string | null): AreaArming
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    alarms: StationAlarms
  }
}

export interface AlarmsPluginOptions {
  /** The engine's sweep period (hold times, silent devices, escalation); default 1 s. */
  sweepMs?: number
  /** The site's IANA time zone for schedules without their own (default: STATION_TIME_ZONE). */
  timeZone?: string
  /** Size cap of the alarm snapshot folder (default 512 MiB). */
  snapshotMaxBytes?: number
}

export default fp<AlarmsPluginOptions>(
  async (app, opts) => {
    const rulesRepo = new RulesRepository(app.db)
    const areas = new AreasRepository(app.db)
    const armingRepo = new ArmingRepository(app.db)
    const cameraExists = app.db.prepare<[number], { id: number }>('SELECT id FROM cameras WHERE id = ?')
    const motionZones = app.db
      .prepare<[number], string>('SELECT zones FROM motion_settings WHERE camera_id = ?')
      .pluck()
    const alarms = new AlarmService({ repo: new AlarmsRepository(app.db), stream: app.domainEvents })
    // What the engine does on its own is in the audit log too, by the station (chained like the rest).
    alarms.onSystemChange = (action, alarm) => {
      app.audit
        .record({
          actor: SYSTEM_ACTOR,
          source: STATION_SOURCE,
          action,
          target: { kind: 'alarm', id: alarm.id },
          after: {
            ruleId: alarm.ruleId,
            ruleName: alarm.ruleName,
            severity: alarm.severity,
            state: alarm.state,
            message: alarm.message,
          },
        })
        .catch((err: unknown) => app.log.error({ err, alarmId: alarm.id }, 'could not audit an alarm'))
    }
    const snapshotRepo = new SnapshotRepository(app.db)
    const snapshotDir = join(app.config.dataDir, ALARM_SNAPSHOTS_DIR)
    const snapshotWaitMs = app.video.config.connectTimeoutMs + 2000
    const capture = new AlarmSnapshots({
      repo: snapshotRepo,
      dir: snapshotDir,
      grab: (cameraId) => cameraJpeg(app.video, cameraId, snapshotWaitMs),
      done: (alarmId, outcomes) => alarms.snapshotsTaken(alarmId, outcomes),
      log: app.log,
      ...(opts.snapshotMaxBytes !== undefined ? { maxBytes: opts.snapshotMaxBytes } : {}),
    })
    alarms.actions = new AlarmActions({
      alarms,
      buzzers: app.buzzers,
      recording: app.recording,
      snapshots: capture,
      log: app.log,
    })
    const engine = new RuleEngine({
      rules: rulesRepo,
      stream: app.domainEvents,
      events: app.events,
      raise: (rule, source, message, at) => alarms.raise(rule, source, message, at),
      linkEvent: (eventId, alarmId) => app.events.linkAlarm(eventId, alarmId),
      conditionEnded: (ruleId, at) => alarms.conditionEnded(ruleId, at),
      isAreaArmed: (id) => armingRepo.get(id).armed,
      timeZone: opts.timeZone ?? app.config.timeZone,
      log: app.log,
      ...(opts.sweepMs !== undefined ? { sweepMs: opts.sweepMs } : {}),
      onSweep: (now) => alarms.escalateDue(now),
    })
    const rules = new RuleService({
      repo: rulesRepo,
      areaExists: (id) => areas.exists(id),
      cameraExists: (id) => cameraExists.get(id) !== undefined,
      motionZones: (id) => {
        const text = motionZones.get(id)
        const zones = text === undefined ? [] : (JSON.parse(text) as { name?: string }[])
        return zones.map((z) => z.name ?? null)
      },
      changed: () => engine.reload(),
    })
    const arming = {
      get: (areaId: number) => armingRepo.get(areaId),
      set: (areaId: number, armed: boolean, by: string | null) => {
        const a = armingRepo.set(areaId, armed, by)
        app.domainEvents.publish({ type: 'area.arming', arming: a })
        return a
      },
    }
    const snapshots = { repo: snapshotRepo, dir: snapshotDir, capture }
    app.decorate('alarms', { rules, alarms, engine, snapshots, arming })
    for (const [name, rule] of Object.entries(
      alarmRules({
        rule: (id) => rules.get(id),
        alarm: (id) => alarms.get(id),
        arming: (id) => arming.get(id),
      }),
    )) {
      app.audit.define(name, rule)
    }

    const offs = [
      feedLiveAlarms(app.domainEvents, app.live),
      app.domainEvents.on('buzzer.status', 'alarms:sirens', (e) => alarms.onBuzzerStatus(e.request)),
    ]
    engine.start()
    app.addHook('preClose', async () => {
      engine.stop()
      for (const off of offs) off()
      await capture.close()
    })
  },
  {
    name: 'station-alarms',
    dependencies: [
      'station-domain-events',
      'station-database',
      'station-live',
      'station-events',
      'station-buzzers',
      'station-recording',
      'station-video',
      'station-audit',
    ],
  },
)
