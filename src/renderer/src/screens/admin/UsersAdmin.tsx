/** Admin: guards and admins (create, change role or password, delete). */
import { useState, type FormEvent } from 'react'
import { ROLES, type Role } from '../../../../shared/constants'
import type { User } from '../../../../shared/schemas/entities'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'
import { dateTime } from '../../util/format'

export const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/
export const MIN_PASSWORD = 10

export function passwordProblem(p: string): string | null {
  return p.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters.` : null
}

function UserRow({ user, self, onDelete }: { user: User; self: boolean; onDelete: () => void }) {
  const update = useStationShallow((s) => ({ update: s.updateUser })).update
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  return (
    <tr data-testid="user-row" data-username={user.username}>
      <td>{user.username}</td>
      <td>
        <select
          value={user.role}
          aria-label={`Role of ${user.username}`}
          onChange={async (e) => {
            const res = await update({ id: user.id, role: e.target.value as Role })
            setError(res.ok ? null : res.error)
          }}
        >
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </td>
      <td>{dateTime(user.createdAt)}</td>
      <td>
        <input
          type="password"
          placeholder="New password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-label={`New password for ${user.username}`}
        />
        <ErrorText>{error}</ErrorText>
        {done ? <span className="muted">{done}</span> : null}
      </td>
      <td className="row-actions">
        <Button
          disabled={!password}
          onClick={async () => {
            const problem = passwordProblem(password)
            if (problem) return setError(problem)
            const res = await update({ id: user.id, password })
            if (res.ok) {
              setPassword('')
              setDone('Password changed: their sessions ended.')
              setError(null)
            } else setError(res.error)
          }}
        >
          Set password
        </Button>
        <Button
          tone="danger"
          onClick={onDelete}
          disabled={self}
          title={self ? 'You cannot delete yourself' : undefined}
        >
          Delete
        </Button>
      </td>
    </tr>
  )
}

export function UsersAdmin() {
  const s = useStationShallow((s) => ({
    users: s.users,
    me: s.session.user?.username,
    create: s.createUser,
    remove: s.deleteUser,
  }))
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('guard')
  const [errors, setErrors] = useState<{ username?: string; password?: string; server?: string }>({})
  const [deleting, setDeleting] = useState<User | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const found: typeof errors = {}
    if (!USERNAME_RE.test(username))
      found.username = 'Letters, digits and _ . @ - (up to 64), starting with a letter or digit.'
    const p = passwordProblem(password)
    if (p) found.password = p
    setErrors(found)
    if (found.username || found.password) return
    const res = await s.create({ username, password, role })
    if (res.ok) {
      setUsername('')
      setPassword('')
    } else setErrors({ server: res.error })
  }

  return (
    <div className="admin-section" data-testid="admin-users">
      <h2>Users</h2>
      <form className="inline-form" onSubmit={submit} noValidate>
        <Field label="Username" error={errors.username}>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="off"
            data-testid="user-username"
          />
        </Field>
        <Field label="Password" error={errors.password}>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            data-testid="user-password"
          />
        </Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Button type="submit" tone="primary" data-testid="user-create">
          Add user
        </Button>
      </form>
      <ErrorText>{errors.server}</ErrorText>
      <table className="table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Created</th>
            <th>Password</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {s.users.map((u) => (
            <UserRow key={u.id} user={u} self={u.username === s.me} onDelete={() => setDeleting(u)} />
          ))}
        </tbody>
      </table>
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.username}?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const res = await s.remove(deleting.id)
            return res.ok ? null : res.error
          }}
        >
          <p>They are signed out everywhere at once.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
