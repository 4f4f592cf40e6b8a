/** Cameras in SQLite. Credentials are stored for the station's own use and never mapped into answers. */
import type { Db } from '../database/open'
import type { CameraKind } from '../../shared/constants'
import type { Camera } from '../../shared/schemas/entities'
import { redactCameraUrl } from './camera-url'

interface CameraRow {
  id: number
  name: string
  kind: CameraKind
  url: string | null
  username: string | null
  password: string | null
  area_id: number | null
  enabled: number
  is_online: number
  fps: number
  stay_connected: number
  last_seen_at: number | null
  created_at: number
  updated_at: number
}

/** What the station stores for a camera (the writable fields plus credentials). */
export interface CameraRecord {
  name: string
  kind: CameraKind
  url: string | null
  username: string | null
  password: string | null
  areaId: number | null
  enabled: boolean
  fps: number
  stayConnected: boolean
}

const COLUMNS = `id, name, kind, url, username, password, area_id, enabled, is_online, fps, stay_connected,
                 last_seen_at, created_at, updated_at`

export const toCamera = (r: CameraRow): Camera => {
  const url = redactCameraUrl(r.url)
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url,
    hasCredentials: r.username !== null || r.password !== null || url !== r.url,
    areaId: r.area_id,
    enabled: r.enabled === 1,
    is_online: r.is_online === 1,
    fps: r.fps,
    stayConnected: r.stay_connected === 1,
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export class CamerasRepository {
  private readonly all
  private readonly enabledOnes
  private readonly byId
  private readonly insert
  private readonly update
  private readonly remove

  constructor(db: Db) {
    this.all = db.prepare<[], CameraRow>(`SELECT ${COLUMNS} FROM cameras ORDER BY name, id`)
    this.enabledOnes = db.prepare<[], CameraRow>(
      `SELECT ${COLUMNS} FROM cameras WHERE enabled = 1 ORDER BY name, id`,
    )
    this.byId = db.prepare<[number], CameraRow>(`SELECT ${COLUMNS} FROM cameras WHERE id = ?`)
    this.insert = db.prepare(
      `INSERT INTO cameras (name, kind, url, username, password, area_id, enabled, fps, stay_connected,
                            created_at, updated_at)
       VALUES (@name, @kind, @url, @username, @password, @areaId, @enabled, @fps, @stayConnected, @now, @now)`,
    )
    this.update = db.prepare(
      `UPDATE cameras SET name = @name, kind = @kind, url = @url, username = @username, password = @password,
              area_id = @areaId, enabled = @enabled, fps = @fps, stay_connected = @stayConnected,
              is_online = CASE WHEN @enabled = 0 THEN 0 ELSE is_online END, updated_at = @now
        WHERE id = @id`,
    )
    this.remove = db.prepare<[number]>('DELETE FROM cameras WHERE id = ?')
  }

  list(): Camera[] {
    return this.all.all().map(toCamera)
  }

  listEnabled(): Camera[] {
    return this.enabledOnes.all().map(toCamera)
  }

  get(id: number): Camera | undefined {
    const r = this.byId.get(id)
    return r && toCamera(r)
  }

  /** The stored record, credentials included: for the station's own connections only. */
  record(id: number): (CameraRecord & { id: number }) | undefined {
    const r = this.byId.get(id)
    if (!r) return undefined
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      url: r.url,
      username: r.username,
      password: r.password,
      areaId: r.area_id,
      enabled: r.enabled === 1,
      fps: r.fps,
      stayConnected: r.stay_connected === 1,
    }
  }

  create(c: CameraRecord, now = Date.now()): Camera {
    const info = this.insert.run(params(c, now))
    return this.get(Number(info.lastInsertRowid))!
  }

  replace(id: number, c: CameraRecord, now = Date.now()): Camera | undefined {
    const changed = this.update.run({ ...params(c, now), id }).changes
    return changed > 0 ? this.get(id) : undefined
  }

  delete(id: number): boolean {
    return this.remove.run(id).changes > 0
  }
}

function params(c: CameraRecord, now: number) {
  return {
    name: c.name,
    kind: c.kind,
    url: c.url,
    username: c.username,
    password: c.password,
    areaId: c.areaId,
    enabled: c.enabled ? 1 : 0,
    fps: c.fps,
    stayConnected: c.stayConnected ? 1 : 0,
    now,
  }
}
