import type { Db } from '../database/open'
import type { Role } from '../../shared/constants'
import type { User } from '../../shared/schemas/entities'

interface UserRow {
  id: number
  username: string
  role: Role
  password_hash: string
  created_at: number
}

export interface UserWithHash extends User {
  passwordHash: string
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  role: r.role,
  createdAt: r.created_at,
})

export class UsersRepository {
  private readonly byName
  private readonly byId
  private readonly all
  private readonly insert
  private readonly updateRole
  private readonly updatePassword
  private readonly remove
  private readonly countAdmins

  constructor(db: Db) {
    this.byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?')
    this.byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?')
    this.all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username')
    this.insert = db.prepare<[string, Role, string, number, number]>(
      'INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.updateRole = db.prepare<[Role, number, number]>(
      'UPDATE users SET role = ?, updated_at = ? WHERE id = ?',
    )
    this.updatePassword = db.prepare<[string, number, number]>(
      'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?',
    )
    this.remove = db.prepare<[number]>('DELETE FROM users WHERE id = ?')
    this.countAdmins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin'")
  }

  findByUsername(username: string): UserWithHash | undefined {
    const r = this.byName.get(username)
    return r && { ...toUser(r), passwordHash: r.password_hash }
  }

  get(id: number): User | undefined {
    const r = this.byId.get(id)
    return r && toUser(r)
  }

  list(): User[] {
    return this.all.all().map(toUser)
  }

  count(): number {
    return this.list().length
  }

  admins(): number {
    return this.countAdmins.get()!.n
  }

  create(username: string, role: Role, passwordHash: string, now = Date.now()): User {
    const info = this.insert.run(username, role, passwordHash, now, now)
    return this.get(Number(info.lastInsertRowid))!
  }

  setRole(id: number, role: Role): boolean {
    return this.updateRole.run(role, Date.now(), id).changes > 0
  }

  setPasswordHash(id: number, hash: string): boolean {
    return this.updatePassword.run(hash, Date.now(), id).changes > 0
  }

  delete(id: number): boolean {
    return this.remove.run(id).changes > 0
  }
}
