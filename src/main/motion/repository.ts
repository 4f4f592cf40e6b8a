/**
 * The `motion_settings` table (migration 005): one row per camera an admin set up; a camera without a row
 * has the defaults (detection off). Named statements, prepared once; zones and masks stored as JSON.
 */
import type { Db } from '../database/open'
import { MOTION_DEFAULTS, type MotionPolygon, type MotionSettings } from '../../shared/schemas/motion'

interface Row {
  camera_id: number
  enabled: number
  sensitivity: number
  min_area: number
  zones: string
  masks: string
  fps: number
  updated_at: number
}

export type StoredMotionSettings = Omit<MotionSettings, 'cameraId' | 'updatedAt'>

function polygons(json: string): MotionPolygon[] {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? (v as MotionPolygon[]) : []
  } catch {
    return []
  }
}

function toSettings(r: Row): MotionSettings {
  return {
    cameraId: r.camera_id,
    enabled: r.enabled === 1,
    sensitivity: r.sensitivity,
    minArea: r.min_area,
    fps: r.fps,
    zones: polygons(r.zones),
    masks: polygons(r.masks),
    updatedAt: r.updated_at,
  }
}

export class MotionSettingsRepository {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      byCamera: db.prepare<[number], Row>('SELECT * FROM motion_settings WHERE camera_id = ?'),
      enabled: db.prepare<[], Row>('SELECT * FROM motion_settings WHERE enabled = 1 ORDER BY camera_id'),
      upsert: db.prepare(
        `INSERT INTO motion_settings (camera_id, enabled, sensitivity, min_area, zones, masks, fps, updated_at)
         VALUES (@cameraId, @enabled, @sensitivity, @minArea, @zones, @masks, @fps, @now)
         ON CONFLICT (camera_id) DO UPDATE SET enabled = excluded.enabled, sensitivity = excluded.sensitivity,
           min_area = excluded.min_area, zones = excluded.zones, masks = excluded.masks, fps = excluded.fps,
           updated_at = excluded.updated_at`,
      ),
    }
  }

  /** A camera's settings (the defaults when it has no row). */
  get(cameraId: number): MotionSettings {
    const r = this.stmts.byCamera.get(cameraId)
    return r ? toSettings(r) : { cameraId, ...MOTION_DEFAULTS, zones: [], masks: [], updatedAt: null }
  }

  /** Cameras with detection on. */
  enabled(): MotionSettings[] {
    return this.stmts.enabled.all().map(toSettings)
  }

  put(cameraId: number, s: StoredMotionSettings, now = Date.now()): void {
    this.stmts.upsert.run({
      cameraId,
      enabled: s.enabled ? 1 : 0,
      sensitivity: s.sensitivity,
      minArea: s.minArea,
      zones: JSON.stringify(s.zones),
      masks: JSON.stringify(s.masks),
      fps: s.fps,
      now,
    })
  }
}
