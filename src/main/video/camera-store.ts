/**
 * The video relay's view of the cameras table: named prepared statements, created once. The relay reads
 * camera rows (with credentials: they stay on the station) and writes only health (is_online,
 * last_seen_at) and push tokens.
 */
import type { Db } from '../database/open'
import type { CameraKind } from '../../shared/constants'

export interface CameraRow {
  id: number
  name: string
  kind: CameraKind
  url: string | null
  username: string | null
  password: string | null
  enabled: boolean
  fps: number
  stayConnected: boolean
  hasToken: boolean
  isOnline: boolean
  lastSeenAt: number | null
}

interface RawRow {
  id: number
  name: string
  kind: CameraKind
  url: string | null
  username: string | null
  password: string | null
  enabled: number
  fps: number
  stay_connected: number
  has_token: number
  is_online: number
  last_seen_at: number | null
}

export interface HealthUpdate {
  id: number
  /** null: only last_seen_at changes. */
  online: boolean | null
  lastSeenAt: number | null
}

const COLUMNS = `id, name, kind, url, username, password, enabled, fps, stay_connected,
  token_hash IS NOT NULL AS has_token, is_online, last_seen_at`

function toRow(r: RawRow): CameraRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    username: r.username,
    password: r.password,
    enabled: r.enabled === 1,
    fps: r.fps,
    stayConnected: r.stay_connected === 1,
    hasToken: r.has_token === 1,
    isOnline: r.is_online === 1,
    lastSeenAt: r.last_seen_at,
  }
}

/** What makes a camera's source differ: a change in any of these restarts it. */
export function sourceKey(c: CameraRow): string {
  return JSON.stringify([c.kind, c.url, c.username, c.password, c.enabled, c.fps])
}

/**
 * Writes a batch of camera health changes in one transaction: a write operation of the writer thread
 * (database/write-ops.ts), so health never waits on the main thread for the write lock.
 */
export function createHealthWriter(db: Db): (items: readonly HealthUpdate[]) => void {
  const health = db.prepare<[number, number | null, number]>(
    'UPDATE cameras SET is_online = ?, last_seen_at = COALESCE(?, last_seen_at) WHERE id = ?',
  )
  const seen = db.prepare<[number, number]>('UPDATE cameras SET last_seen_at = ? WHERE id = ?')
  return db.transaction((items: readonly HealthUpdate[]) => {
    for (const u of items) {
      if (u.online === null) {
        if (u.lastSeenAt !== null) seen.run(u.lastSeenAt, u.id)
      } else health.run(u.online ? 1 : 0, u.lastSeenAt, u.id)
    }
  }).immediate
}

export class CameraStore {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], RawRow>(`SELECT ${COLUMNS} FROM cameras ORDER BY id`),
      one: db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM cameras WHERE id = ?`),
      setToken: db.prepare<[string | null, number, number]>(
        'UPDATE cameras SET token_hash = ?, updated_at = ? WHERE id = ?',
      ),
      byToken: db.prepare<[string], { id: number }>('SELECT id FROM cameras WHERE token_hash = ?'),
    }
  }

  all(): CameraRow[] {
    return this.stmts.all.all().map(toRow)
  }

  one(id: number): CameraRow | undefined {
    const r = this.stmts.one.get(id)
    return r ? toRow(r) : undefined
  }

  /** Stores (or clears, with null) the hash of a camera's push token; false when the camera does not exist. */
  setTokenHash(id: number, hash: string | null): boolean {
    return this.stmts.setToken.run(hash, Date.now(), id).changes > 0
  }

  cameraForToken(hash: string): number | undefined {
    return this.stmts.byToken.get(hash)?.id
  }
}
