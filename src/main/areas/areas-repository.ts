/** Areas (zones of the site that cameras and devices belong to) in SQLite. */
import type { Db } from '../database/open'
import type { Area } from '../../shared/schemas/entities'

interface AreaRow {
  id: number
  name: string
  description: string
  created_at: number
  updated_at: number
}

const toArea = (r: AreaRow): Area => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Thrown when another area already has the name. */
export class DuplicateAreaError extends Error {}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

export class AreasRepository {
  private readonly all
  private readonly byId
  private readonly insert
  private readonly update
  private readonly remove

  constructor(db: Db) {
    this.all = db.prepare<[], AreaRow>('SELECT * FROM areas ORDER BY name')
    this.byId = db.prepare<[number], AreaRow>('SELECT * FROM areas WHERE id = ?')
    this.insert = db.prepare<[string, string, number, number]>(
      'INSERT INTO areas (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)',
    )
    this.update = db.prepare<[string, string, number, number]>(
      'UPDATE areas SET name = ?, description = ?, updated_at = ? WHERE id = ?',
    )
    this.remove = db.prepare<[number]>('DELETE FROM areas WHERE id = ?')
  }

  list(): Area[] {
    return this.all.all().map(toArea)
  }

  get(id: number): Area | undefined {
    const r = this.byId.get(id)
    return r && toArea(r)
  }

  exists(id: number): boolean {
    return this.byId.get(id) !== undefined
  }

  create(name: string, description: string, now = Date.now()): Area {
    try {
      const info = this.insert.run(name, description, now, now)
      return this.get(Number(info.lastInsertRowid))!
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateAreaError(name)
      throw err
    }
  }

  replace(id: number, name: string, description: string, now = Date.now()): Area | undefined {
    try {
      return this.update.run(name, description, now, id).changes > 0 ? this.get(id) : undefined
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateAreaError(name)
      throw err
    }
  }

  delete(id: number): boolean {
    return this.remove.run(id).changes > 0
  }
}
