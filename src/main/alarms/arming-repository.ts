/** Area arming (armed/disarmed by a guard) in SQLite. An area without a row is disarmed. */
import type { Db } from '../database/open'
import type { AreaArming } from '../../shared/schemas/alarms'

interface Row {
  area_id: number
  armed: number
  changed_at: number
  changed_by: string | null
}

export class ArmingRepository {
  private readonly byId
  private readonly upsert

  constructor(db: Db) {
    this.byId = db.prepare<[number], Row>('SELECT * FROM area_arming WHERE area_id = ?')
    this.upsert = db.prepare<[number, number, number, string | null]>(
      `INSERT INTO area_arming (area_id, armed, changed_at, changed_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (area_id) DO UPDATE SET armed = excluded.armed, changed_at = excluded.changed_at,
         changed_by = excluded.changed_by`,
    )
  }

  get(areaId: number): AreaArming {
    const r = this.byId.get(areaId)
    return r
      ? { areaId, armed: r.armed === 1, changedAt: r.changed_at, changedBy: r.changed_by }
      : { areaId, armed: false, changedAt: null, changedBy: null }
  }

  set(areaId: number, armed: boolean, by: string | null, now = Date.now()): AreaArming {
    this.upsert.run(areaId, armed ? 1 : 0, now, by)
    return this.get(areaId)
  }
}
