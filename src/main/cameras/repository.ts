/**
 * The `cameras` table: one row type, named prepared statements created once. Rows carry credentials:
 * they are mapped into answers only through ./views.ts, which never includes them.
 */
import type { Db } from '../database/open'
import type { CameraKind, RtspTransport } from '../../shared/constants'
import type { CameraRecording } from '../../shared/schemas/cameras'
import type { RecordingMode } from '../../shared/schemas/recordings'

/** What an admin writes (the rest belongs to the station). */
export interface CameraSettings {
  name: string
  kind: CameraKind
  url: string | null
  /** rtsp cameras: the sub stream (grid tiles); null: none (and always for other kinds). */
  subUrl: string | null
  /** rtsp cameras: how RTP travels ('tcp' for other kinds). */
  transport: RtspTransport
  username: string | null
  password: string | null
  areaId: number | null
  enabled: boolean
  fps: number
  stayConnected: boolean
  /** Whether the URLs may name this computer (loopback) or the station's own port. */
  allowLocal: boolean
  /** Recording: mode, pre/post roll, retention bounds (the rec_* columns). */
  recording: CameraRecording
}

/** A camera as stored (credentials included): for the camera service and the relay only. */
export interface CameraRecord extends CameraSettings {
  id: number
  isOnline: boolean
  hasToken: boolean
  lastSeenAt: number | null
  createdAt: number
  updatedAt: number
}

interface Row {
  id: number
  name: string
  kind: CameraKind
  url: string | null
  sub_url: string | null
  transport: RtspTransport
  username: string | null
  password: string | null
  area_id: number | null
  enabled: number
  is_online: number
  fps: number
  stay_connected: number
  allow_local: number
  rec_mode: RecordingMode
  rec_pre_roll_s: number
  rec_post_roll_s: number
  rec_min_days: number | null
  rec_max_days: number | null
  rec_max_bytes: number | null
  has_token: number
  last_seen_at: number | null
  created_at: number
  updated_at: number
}

const COLUMNS = `id, name, kind, url, sub_url, transport, username, password, area_id, enabled, is_online, fps,
  stay_connected, allow_local, rec_mode, rec_pre_roll_s, rec_post_roll_s, rec_min_days, rec_max_days,
  rec_max_bytes, token_hash IS NOT NULL AS has_token, last_seen_at, created_at, updated_at`

function toRecord(r: Row): CameraRecord {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    subUrl: r.sub_url,
    transport: r.transport,
    username: r.username,
    password: r.password,
    areaId: r.area_id,
    enabled: r.enabled === 1,
    isOnline: r.is_online === 1,
    fps: r.fps,
    stayConnected: r.stay_connected === 1,
    allowLocal: r.allow_local === 1,
    recording: {
      mode: r.rec_mode,
      preRollS: r.rec_pre_roll_s,
      postRollS: r.rec_post_roll_s,
      minDays: r.rec_min_days,
      maxDays: r.rec_max_days,
      maxBytes: r.rec_max_bytes,
    },
    hasToken: r.has_token === 1,
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function params(c: CameraSettings, now: number) {
  return {
    name: c.name,
    kind: c.kind,
    url: c.url,
    subUrl: c.subUrl,
    transport: c.transport,
    username: c.username,
    password: c.password,
    areaId: c.areaId,
    enabled: c.enabled ? 1 : 0,
    fps: c.fps,
    stayConnected: c.stayConnected ? 1 : 0,
    allowLocal: c.allowLocal ? 1 : 0,
    recMode: c.recording.mode,
    recPreRollS: c.recording.preRollS,
    recPostRollS: c.recording.postRollS,
    recMinDays: c.recording.minDays,
    recMaxDays: c.recording.maxDays,
    recMaxBytes: c.recording.maxBytes,
    now,
  }
}

export class CamerasRepository {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM cameras ORDER BY name, id`),
      enabled: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM cameras WHERE enabled = 1 ORDER BY name, id`),
      byId: db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM cameras WHERE id = ?`),
      insert: db.prepare(
        `INSERT INTO cameras (name, kind, url, sub_url, transport, username, password, area_id, enabled, fps,
                              stay_connected, allow_local, rec_mode, rec_pre_roll_s, rec_post_roll_s,
                              rec_min_days, rec_max_days, rec_max_bytes, created_at, updated_at)
         VALUES (@name, @kind, @url, @subUrl, @transport, @username, @password, @areaId, @enabled, @fps,
                 @stayConnected, @allowLocal, @recMode, @recPreRollS, @recPostRollS, @recMinDays, @recMaxDays,
                 @recMaxBytes, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE cameras SET name = @name, kind = @kind, url = @url, sub_url = @subUrl, transport = @transport,
                username = @username, password = @password,
                area_id = @areaId, enabled = @enabled, fps = @fps, stay_connected = @stayConnected,
                allow_local = @allowLocal, rec_mode = @recMode, rec_pre_roll_s = @recPreRollS,
                rec_post_roll_s = @recPostRollS, rec_min_days = @recMinDays, rec_max_days = @recMaxDays,
                rec_max_bytes = @recMaxBytes,
                is_online = CASE WHEN @enabled = 0 THEN 0 ELSE is_online END, updated_at = @now
          WHERE id = @id`,
      ),
      remove: db.prepare<[number]>('DELETE FROM cameras WHERE id = ?'),
      setToken: db.prepare<[string | null, number, number]>(
        'UPDATE cameras SET token_hash = ?, updated_at = ? WHERE id = ?',
      ),
      byToken: db.prepare<[string], { id: number }>('SELECT id FROM cameras WHERE token_hash = ?'),
    }
  }

  /** Every camera, by name. */
  all(): CameraRecord[] {
    return this.stmts.all.all().map(toRecord)
  }

  enabled(): CameraRecord[] {
    return this.stmts.enabled.all().map(toRecord)
  }

  get(id: number): CameraRecord | undefined {
    const r = this.stmts.byId.get(id)
    return r && toRecord(r)
  }

  /** Inserts a camera; answers its id. */
  insert(c: CameraSettings, now = Date.now()): number {
    return Number(this.stmts.insert.run(params(c, now)).lastInsertRowid)
  }

  /** False when the camera does not exist. Disabling it also marks it offline. */
  update(id: number, c: CameraSettings, now = Date.now()): boolean {
    return this.stmts.update.run({ ...params(c, now), id }).changes > 0
  }

  delete(id: number): boolean {
    return this.stmts.remove.run(id).changes > 0
  }

  /** Stores (or clears, with null) the hash of a camera's push token; false when the camera does not exist. */
  setTokenHash(id: number, hash: string | null, now = Date.now()): boolean {
    return this.stmts.setToken.run(hash, now, id).changes > 0
  }

  idForToken(hash: string): number | undefined {
    return this.stmts.byToken.get(hash)?.id
  }
}

/** A health change of one camera (the relay's view). */
export interface HealthUpdate {
  id: number
  /** null: only last_seen_at changes. */
  online: boolean | null
  lastSeenAt: number | null
}

/**
 * Writes a batch of camera health changes in one transaction: a write operation of the writer thread
 * (database/write-ops.ts), so health never waits on the main thread for the write lock. Answers the ids
 * whose online state was written (a camera deleted meanwhile is not among them).
 */
export function createHealthWriter(db: Db): (items: readonly HealthUpdate[]) => number[] {
  const health = db.prepare<[number, number | null, number]>(
    'UPDATE cameras SET is_online = ?, last_seen_at = COALESCE(?, last_seen_at) WHERE id = ?',
  )
  const seen = db.prepare<[number, number]>('UPDATE cameras SET last_seen_at = ? WHERE id = ?')
  return db.transaction((items: readonly HealthUpdate[]) => {
    const written: number[] = []
    for (const u of items) {
      if (u.online === null) {
        if (u.lastSeenAt !== null) seen.run(u.lastSeenAt, u.id)
      } else if (health.run(u.online ? 1 : 0, u.lastSeenAt, u.id).changes > 0) written.push(u.id)
    }
    return written
  }).immediate
}
