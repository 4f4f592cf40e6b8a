/**
 * The motion settings service (`app.motion.settings`): the one owner of the `motion_settings` table. It
 * answers a camera's settings (the defaults until an admin sets them), checks and commits an admin's
 * change, and after the commit publishes `motion.changed` on the domain event stream (the detectors follow
 * from there; nobody here starts one).
 */
import type { Db } from '../database/open'
import type { DomainEventStream } from '../events/domain-stream'
import { errors } from '../server/errors'
import type { MotionPolygon, MotionSettings, MotionSettingsBody } from '../../shared/schemas/motion'
import { MotionSettingsRepository } from './repository'
import { MIN_POLYGON_AREA, polygonArea } from '../../shared/motion-polygons'

export interface MotionSettingsDeps {
  db: Db
  events: Pick<DomainEventStream, 'publish'>
  cameraExists: (id: number) => boolean
}

export class MotionSettingsService {
  private readonly repo: MotionSettingsRepository

  constructor(private readonly deps: MotionSettingsDeps) {
    this.repo = new MotionSettingsRepository(deps.db)
  }

  /** A camera's settings (404 for an unknown camera). */
  get(cameraId: number): MotionSettings {
    if (!this.deps.cameraExists(cameraId)) throw errors.notFound(`Camera ${cameraId}`)
    return this.repo.get(cameraId)
  }

  /** Without the camera check: for the detectors, which follow the cameras they have. */
  current(cameraId: number): MotionSettings {
    return this.repo.get(cameraId)
  }

  enabled(): MotionSettings[] {
    return this.repo.enabled()
  }

  /** Changes the fields given (404 unknown camera, 400 with the reason), commits, publishes. */
  update(cameraId: number, body: MotionSettingsBody): MotionSettings {
    const base = this.get(cameraId)
    const next = {
      enabled: body.enabled ?? base.enabled,
      sensitivity: body.sensitivity ?? base.sensitivity,
      minArea: body.minArea ?? base.minArea,
      fps: body.fps ?? base.fps,
      zones: body.zones ?? base.zones,
      masks: body.masks ?? base.masks,
    }
    checkPolygons('zone', next.zones)
    checkPolygons('mask', next.masks)
    this.repo.put(cameraId, next)
    const settings = this.repo.get(cameraId)
    this.deps.events.publish({ type: 'motion.changed', cameraId, settings })
    return settings
  }
}

function checkPolygons(what: 'zone' | 'mask', polys: readonly MotionPolygon[]): void {
  polys.forEach((p, i) => {
    if (polygonArea(p) < MIN_POLYGON_AREA) {
      throw errors.badRequest(`${what} ${i + 1} encloses no area: draw at least three points apart`)
    }
  })
}
